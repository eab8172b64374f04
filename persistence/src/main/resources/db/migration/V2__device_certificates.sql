-- Device identity certificates and the device each is bound to. A certificate belongs to one
-- device for ever: rows are never re-pointed, and a replaced certificate stays here (current =
-- false) so it is never accepted again, neither for its own device nor, in retro mode, for another.
CREATE TABLE device_certificates (
    fingerprint  bytea       PRIMARY KEY,  -- SHA-256 of the certificate's DER
    device_id    text        NOT NULL,     -- UDID, or EnrollmentID for User Enrollment
    current      boolean     NOT NULL,
    not_after    timestamptz NOT NULL,     -- past it the chain check refuses the certificate anyway
    bound_at     timestamptz NOT NULL DEFAULT now(),
    replaced_at  timestamptz,
    CONSTRAINT device_certificates_replaced_check CHECK (current = (replaced_at IS NULL))
);

-- At most one current certificate per device; also the look-up "is this device bound at all".
CREATE UNIQUE INDEX device_certificates_current_idx ON device_certificates (device_id) WHERE current;

-- Binds p_fingerprint to p_device, the way Authenticate does: a certificate seen before only ever
-- binds to its own device and only while it is still current; a new one replaces the device's
-- current certificate. Outcome: 'bound', 'bound_elsewhere' (the certificate is another device's)
-- or 'replaced' (it was this device's and has been replaced since). replaced lists the
-- fingerprints this call retired, for the caller's cache; other gateways hear of them through
-- NOTIFY mdmgw_certificates (hex fingerprints, comma-separated).
-- p_retro: bind only when the device has no current certificate at all (MDMGW_CERT_RETRO), else
-- the outcome is 'not_bound'.
CREATE FUNCTION mdmgw_bind_certificate(p_fingerprint bytea, p_device text, p_not_after timestamptz,
                                       p_retro boolean)
RETURNS TABLE (outcome text, replaced bytea[])
LANGUAGE plpgsql AS $$
DECLARE
    v_owner   text;
    v_current boolean;
    v_retired bytea[];
BEGIN
    -- One binding change per device at a time: two renewals racing cannot both end up current.
    PERFORM pg_advisory_xact_lock(hashtextextended('mdmgw.device_certificates:' || p_device, 0));

    SELECT c.device_id, c.current INTO v_owner, v_current
    FROM device_certificates c WHERE c.fingerprint = p_fingerprint;
    IF FOUND THEN
        IF v_owner <> p_device THEN
            RETURN QUERY SELECT 'bound_elsewhere'::text, '{}'::bytea[];
        ELSIF v_current THEN
            RETURN QUERY SELECT 'bound'::text, '{}'::bytea[];
        ELSE
            RETURN QUERY SELECT 'replaced'::text, '{}'::bytea[];
        END IF;
        RETURN;
    END IF;

    IF p_retro THEN
        IF EXISTS (SELECT 1 FROM device_certificates c WHERE c.device_id = p_device AND c.current) THEN
            RETURN QUERY SELECT 'not_bound'::text, '{}'::bytea[];
            RETURN;
        END IF;
        v_retired := '{}';
    ELSE
        WITH retired AS (
            UPDATE device_certificates c SET current = false, replaced_at = now()
            WHERE c.device_id = p_device AND c.current
            RETURNING c.fingerprint)
        SELECT coalesce(array_agg(fingerprint), '{}') INTO v_retired FROM retired;
    END IF;

    -- Another device's binder may have claimed this never-seen certificate a moment ago (it holds
    -- its own device's lock, not ours): the primary key decides, and the loser is refused.
    INSERT INTO device_certificates (fingerprint, device_id, current, not_after)
    VALUES (p_fingerprint, p_device, true, p_not_after)
    ON CONFLICT (fingerprint) DO NOTHING;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'certificate bound concurrently' USING ERRCODE = '40001';
    END IF;

    IF cardinality(v_retired) > 0 THEN
        PERFORM pg_notify('mdmgw_certificates',
                          (SELECT string_agg(encode(f, 'hex'), ',') FROM unnest(v_retired) AS f));
    END IF;
    RETURN QUERY SELECT 'bound'::text, v_retired;
END
$$;
