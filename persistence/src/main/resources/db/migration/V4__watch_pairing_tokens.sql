-- Watch-pairing tokens are single use: the id of each one verified is recorded here, and a second
-- verification finds it. Rows past expires_at can be deleted: the token itself is refused then.
CREATE TABLE consumed_watch_pairing_tokens (
    token_id     uuid        PRIMARY KEY,
    expires_at   timestamptz NOT NULL,
    consumed_at  timestamptz NOT NULL DEFAULT now()
);
