-- Per-organization MDM settings set through the admin API (JSON, validated by the gateway):
-- the UserAuthenticate policy and the ReturnToService answer.
ALTER TABLE organizations ADD COLUMN settings jsonb NOT NULL DEFAULT '{}';

-- Users an organization's policy let through UserAuthenticate, by user-channel enrollment id.
CREATE TABLE user_authentications (
    enrollment_id    text        PRIMARY KEY,
    device_id        text        NOT NULL,
    user_id          text        NOT NULL,
    organization_id  text        NOT NULL REFERENCES organizations (id),
    authenticated_at timestamptz NOT NULL DEFAULT now()
);
