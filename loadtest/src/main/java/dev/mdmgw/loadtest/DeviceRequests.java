package dev.mdmgw.loadtest;

/**
 * Where a device's check-ins come from: signed once before the load ({@code signature},
 * {@code header}: a signature costs an RSA operation, far too slow to make while sending), or built
 * when sent ({@code --auth none}: a few hundred bytes of garbage instead of ~30 KB a device held for
 * the whole run, so a 10M-device fleet fits in a few GB). Either way a request is a function of
 * the device, the type and the variant, so the verifier can rebuild what a device sent.
 */
interface DeviceRequests {

    /** Variant {@code variant} of {@code type} for device {@code d}; null if that type was not prepared. */
    CheckinRequest get(Device d, MessageType type, int variant);

    /** How many variants of {@code type} there are (TokenUpdate: {@code --token-variants}; others: 1). */
    int variants(MessageType type);
}
