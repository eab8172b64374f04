package dev.mdmgw.gateway.mdm;

/** One decoded, validated check-in request body. */
public sealed interface CheckinMessage
        permits Authenticate, TokenUpdate, CheckOut, SetBootstrapToken, GetBootstrapToken, GetToken,
                UserAuthenticate, DeclarativeManagement, ReturnToService {

    MessageType messageType();

    /**
     * The channel the message speaks for. Null only for Set/GetBootstrapToken bodies that carry
     * no id (their schema lists none); the identity layer then resolves it from the certificate.
     */
    EnrollmentRef enrollment();
}
