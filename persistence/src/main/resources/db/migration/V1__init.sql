-- Every write to these tables is guarded by write_version (microseconds since the epoch, taken
-- when the gateway received the request): a row only ever moves to a higher version, so
-- reordered, retried or concurrent writes from any number of gateways converge on the newest.

CREATE TABLE organizations (
    id          text        PRIMARY KEY,
    name        text        NOT NULL,
    topics      text[]      NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

INSERT INTO organizations (id, name) VALUES ('default', 'Default');

CREATE TABLE devices (
    id                   text        PRIMARY KEY,  -- UDID, or EnrollmentID for User Enrollment
    organization_id      text        NOT NULL REFERENCES organizations (id),
    serial_number        text,
    model                text,
    model_name           text,
    product_name         text,
    device_name          text,
    os_version           text,
    build_version        text,
    imei                 text,
    meid                 text,
    topic                text,
    identity_certificate bytea,
    bootstrap_token      bytea,
    authenticated_at     timestamptz,
    write_version        bigint      NOT NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX devices_serial_number_idx ON devices (serial_number) WHERE serial_number IS NOT NULL;

-- No foreign key to devices: a TokenUpdate may arrive for a device whose Authenticate we never
-- saw (a fleet migrated from NanoMDM keeps checking in without re-enrolling).
-- fillfactor leaves room on each page so the TokenUpdate storm's updates stay HOT: they change
-- no indexed column, so PostgreSQL can skip index maintenance entirely.
CREATE TABLE enrollments (
    id                     text        PRIMARY KEY,
    device_id              text        NOT NULL,
    user_id                text,
    type                   text        NOT NULL
        CONSTRAINT enrollments_type_check
        CHECK (type IN ('Device', 'User', 'SharedIPad', 'UserEnrollmentDevice', 'UserEnrollment')),
    organization_id        text        NOT NULL REFERENCES organizations (id),
    topic                  text,
    push_magic             text,
    token                  bytea,
    unlock_token           bytea,
    unlock_version         bigint      NOT NULL DEFAULT 0,
    user_short_name        text,
    user_long_name         text,
    awaiting_configuration boolean     NOT NULL DEFAULT false,
    enabled                boolean     NOT NULL DEFAULT false,
    token_update_count     bigint      NOT NULL DEFAULT 0,
    last_seen_at           timestamptz,
    enrolled_at            timestamptz,
    write_version          bigint      NOT NULL,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
) WITH (fillfactor = 80);

-- Authenticate and device-channel CheckOut reach every enrollment of a device.
CREATE INDEX enrollments_device_id_idx ON enrollments (device_id);
-- The admin listing: one organization, ordered by id, paged; the enabled/type filters are
-- applied on this scan rather than indexed, because indexing enabled would make every
-- enable/disable a non-HOT update.
CREATE INDEX enrollments_organization_id_idx ON enrollments (organization_id, id);
