-- Organizations own their APNs topics, API keys and enrollment tokens (issue 6).

-- A topic belongs to exactly one organization: the primary key says so, also between gateways
-- creating organizations at the same moment.
CREATE TABLE organization_topics (
    topic           text        PRIMARY KEY,
    organization_id text        NOT NULL REFERENCES organizations (id),
    created_at      timestamptz NOT NULL DEFAULT now()
);
INSERT INTO organization_topics (topic, organization_id)
SELECT DISTINCT ON (t.topic) t.topic, o.id FROM organizations o, unnest(o.topics) AS t(topic)
ORDER BY t.topic, o.created_at;
ALTER TABLE organizations DROP COLUMN topics;

-- An organization's API keys. Only a hash of the key's secret is kept: the key is shown once, at
-- creation. The id is the key's visible prefix, so a presented key is found by primary key and
-- its secret compared in constant time. Revoked keys stay (revoked_at set) for the record.
CREATE TABLE api_keys (
    id              text        PRIMARY KEY,  -- 24 hex
    organization_id text        NOT NULL REFERENCES organizations (id),
    name            text        NOT NULL,
    permissions     text[]      NOT NULL,
    secret_sha256   bytea       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    revoked_at      timestamptz
);
CREATE INDEX api_keys_organization_id_idx ON api_keys (organization_id, created_at);

-- Enrollment tokens (the Applivery object). EXPIRED is not stored: a PENDING token past expire_at
-- reads as EXPIRED. The columns are what is filtered, sorted or enforced on; everything else the
-- admin gave (tags, profiles, applications, policy assignments, VPP location...) is kept as given
-- in document.
CREATE TABLE enrollment_tokens (
    id              text        PRIMARY KEY,  -- 24 hex
    organization_id text        NOT NULL REFERENCES organizations (id),
    enroll_code     text        NOT NULL,
    state           text        NOT NULL
        CONSTRAINT enrollment_tokens_state_check CHECK (state IN ('PENDING', 'DONE', 'DELETED')),
    adm_device      text,                     -- the device that used the token
    mdm_user_id     text,
    adm_policy_id   text,
    display_name    text,
    document        jsonb       NOT NULL DEFAULT '{}',
    expire_at       timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT enrollment_tokens_done_check CHECK ((state = 'DONE') = (adm_device IS NOT NULL) OR state = 'DELETED')
);
CREATE UNIQUE INDEX enrollment_tokens_enroll_code_idx ON enrollment_tokens (enroll_code);
CREATE INDEX enrollment_tokens_organization_id_idx ON enrollment_tokens (organization_id, created_at);
