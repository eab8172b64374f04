-- Bootstrap tokens are escrowed sealed (AES-256-GCM, done by the gateway): bootstrap_token holds
-- nonce || ciphertext || tag, bootstrap_key_id names the key that sealed it, so keys can rotate.
-- bootstrap_version orders Set/GetBootstrapToken against Authenticate (which clears the escrow)
-- the way write_version orders everything else: a row only moves to a newer version.
ALTER TABLE devices
    ADD COLUMN bootstrap_key_id text,
    ADD COLUMN bootstrap_version bigint NOT NULL DEFAULT 0;

-- Key rotation looks for the escrows not sealed with the current key.
CREATE INDEX devices_bootstrap_key_id_idx ON devices (bootstrap_key_id) WHERE bootstrap_token IS NOT NULL;
