package dev.mdmgw.gateway.plist;

import static dev.mdmgw.gateway.plist.EnrollmentResolver.ENROLLMENT_ID;
import static dev.mdmgw.gateway.plist.EnrollmentResolver.ENROLLMENT_USER_ID;
import static dev.mdmgw.gateway.plist.EnrollmentResolver.USER_ID;

import dev.mdmgw.gateway.mdm.Authenticate;
import dev.mdmgw.gateway.mdm.CheckOut;
import dev.mdmgw.gateway.mdm.CheckinMessage;
import dev.mdmgw.gateway.mdm.DeclarativeManagement;
import dev.mdmgw.gateway.mdm.EnrollmentRef;
import dev.mdmgw.gateway.mdm.GetBootstrapToken;
import dev.mdmgw.gateway.mdm.GetToken;
import dev.mdmgw.gateway.mdm.MessageType;
import dev.mdmgw.gateway.mdm.ReturnToService;
import dev.mdmgw.gateway.mdm.SetBootstrapToken;
import dev.mdmgw.gateway.mdm.TokenUpdate;
import dev.mdmgw.gateway.mdm.UserAuthenticate;
import dev.mdmgw.persistence.EnrollmentType;

/**
 * Turns a decoded check-in dictionary into a typed message, applying the schema's per-channel
 * rules (apple-device-management mdm/checkin/*.yaml). "presence: required" there is conditional
 * on the channel, so each rule below says which channel it applies to; keys the schema marks
 * forbidden for a channel are refused rather than silently stored.
 */
final class CheckinBinder {
    private static final String MAC_USER_CHANNEL = "required on macOS user channels";

    private final EnrollmentResolver enrollments;

    CheckinBinder(DecoderLimits limits) {
        this.enrollments = new EnrollmentResolver(limits);
    }

    CheckinMessage bind(PlistDict body) throws BadMessageException {
        String wireName = body.requireString("MessageType");
        MessageType type = MessageType.fromWireName(wireName);
        if (type == null) {
            throw new BadMessageException("unknown MessageType " + Text.quote(wireName));
        }
        return switch (type) {
            case AUTHENTICATE -> authenticate(body);
            case TOKEN_UPDATE -> tokenUpdate(body);
            case CHECK_OUT -> checkOut(body);
            case SET_BOOTSTRAP_TOKEN -> setBootstrapToken(body);
            case GET_BOOTSTRAP_TOKEN -> getBootstrapToken(body);
            case GET_TOKEN -> getToken(body);
            case USER_AUTHENTICATE -> userAuthenticate(body);
            case DECLARATIVE_MANAGEMENT -> declarativeManagement(body);
            case RETURN_TO_SERVICE -> returnToService(body);
        };
    }

    private Authenticate authenticate(PlistDict body) throws BadMessageException {
        EnrollmentRef ref = enrollments.require(body);
        deviceChannelOnly(ref, MessageType.AUTHENTICATE);
        String topic = topic(body);
        if (ref.isUserEnrollment()) {
            // The schema forbids hardware identifiers in user enrollment: personal devices stay anonymous.
            forbid(body, "SerialNumber", "in user enrollment");
            forbid(body, "IMEI", "in user enrollment");
            forbid(body, "MEID", "in user enrollment");
        }
        // Model, ModelName and DeviceName are required on macOS only, and nothing in the body
        // says reliably that it comes from a Mac, so they stay optional here.
        return new Authenticate(ref, topic, body.string("SerialNumber"), body.string("Model"),
                body.string("ModelName"), body.string("ProductName"), body.string("DeviceName"),
                body.string("OSVersion"), body.string("BuildVersion"), body.string("IMEI"), body.string("MEID"));
    }

    private TokenUpdate tokenUpdate(PlistDict body) throws BadMessageException {
        EnrollmentRef ref = enrollments.require(body);
        String topic = topic(body);
        byte[] token = body.requireData("Token");
        if (token.length == 0) {
            throw body.invalid("Token", "must not be empty");
        }
        String pushMagic = body.requireString("PushMagic");
        enrollments.id(body, "PushMagic", pushMagic);
        byte[] unlockToken = body.data("UnlockToken");
        if (unlockToken != null) {
            if (ref.isUserEnrollment()) {
                throw body.invalid("UnlockToken", "is not allowed in user enrollment");
            }
            if (ref.type() == EnrollmentType.SHARED_IPAD) {
                throw body.invalid("UnlockToken", "is not allowed on Shared iPad");
            }
            if (unlockToken.length == 0) {
                unlockToken = null; // An empty token unlocks nothing; treat it as absent so the stored one stays.
            }
        }
        boolean awaitingConfiguration = body.bool("AwaitingConfiguration", false);
        String userShortName = body.string("UserShortName");
        String userLongName = body.string("UserLongName");
        Boolean notOnConsole = body.bool("NotOnConsole");
        if (isMacUserChannel(ref)) {
            requirePresent(body, "UserLongName", userLongName, MAC_USER_CHANNEL);
            requirePresent(body, "NotOnConsole", notOnConsole, MAC_USER_CHANNEL);
        }
        return new TokenUpdate(ref, topic, token, pushMagic, unlockToken, awaitingConfiguration, userShortName,
                userLongName, notOnConsole);
    }

    private CheckOut checkOut(PlistDict body) throws BadMessageException {
        EnrollmentRef ref = enrollments.require(body);
        deviceChannelOnly(ref, MessageType.CHECK_OUT);
        return new CheckOut(ref, topic(body));
    }

    private SetBootstrapToken setBootstrapToken(PlistDict body) throws BadMessageException {
        EnrollmentRef ref = bootstrapEnrollment(body, MessageType.SET_BOOTSTRAP_TOKEN);
        return new SetBootstrapToken(ref, body.data("BootstrapToken"), body.bool("AwaitingConfiguration", false));
    }

    private GetBootstrapToken getBootstrapToken(PlistDict body) throws BadMessageException {
        EnrollmentRef ref = bootstrapEnrollment(body, MessageType.GET_BOOTSTRAP_TOKEN);
        return new GetBootstrapToken(ref, body.bool("AwaitingConfiguration", false));
    }

    /** The bootstrap-token schemas list no id keys: use them when present, else leave it to the identity layer. */
    private EnrollmentRef bootstrapEnrollment(PlistDict body, MessageType type) throws BadMessageException {
        EnrollmentRef ref = enrollments.resolve(body);
        if (ref != null) {
            notInUserEnrollment(ref, type);
            deviceChannelOnly(ref, type);
        }
        return ref;
    }

    private GetToken getToken(PlistDict body) throws BadMessageException {
        EnrollmentRef ref = enrollments.require(body);
        String service = body.requireString("TokenServiceType");
        if (!GetToken.MAID.equals(service) && !GetToken.WATCH_PAIRING.equals(service)) {
            throw new BadMessageException("unsupported TokenServiceType " + Text.quote(service) + " (expected "
                    + GetToken.MAID + " or " + GetToken.WATCH_PAIRING + ")");
        }
        PlistDict params = body.dict("TokenParameters");
        String securityToken = null;
        String phoneUdid = null;
        String watchUdid = null;
        if (params != null) {
            String where = ref.isUserEnrollment() ? "in user enrollment"
                    : ref.type() == EnrollmentType.SHARED_IPAD ? "on Shared iPad" : null;
            if (where != null) {
                forbid(params, "SecurityToken", where);
                forbid(params, "PhoneUDID", where);
                forbid(params, "WatchUDID", where);
            }
            securityToken = params.string("SecurityToken");
            phoneUdid = params.string("PhoneUDID");
            watchUdid = params.string("WatchUDID");
        }
        if (GetToken.WATCH_PAIRING.equals(service)) {
            String why = "required for " + GetToken.WATCH_PAIRING;
            if (params == null) {
                throw new BadMessageException("missing required key TokenParameters (" + why + ")");
            }
            requirePresent(params, "SecurityToken", securityToken, why);
            requirePresent(params, "PhoneUDID", phoneUdid, why);
            requirePresent(params, "WatchUDID", watchUdid, why);
            enrollments.id(params, "PhoneUDID", phoneUdid);
            enrollments.id(params, "WatchUDID", watchUdid);
            if (securityToken.isEmpty()) {
                throw params.invalid("SecurityToken", "must not be empty");
            }
        }
        requireUserLongNameOnMac(body, ref);
        return new GetToken(ref, service, securityToken, phoneUdid, watchUdid);
    }

    private UserAuthenticate userAuthenticate(PlistDict body) throws BadMessageException {
        EnrollmentRef ref = enrollments.require(body);
        notInUserEnrollment(ref, MessageType.USER_AUTHENTICATE);
        if (ref.type() == EnrollmentType.DEVICE) {
            throw new BadMessageException("missing required key " + USER_ID
                    + " (UserAuthenticate is sent on the macOS user channel)");
        }
        if (ref.type() == EnrollmentType.SHARED_IPAD) {
            throw body.invalid(USER_ID, "is the Shared iPad user id; UserAuthenticate is macOS only");
        }
        return new UserAuthenticate(ref, body.string("DigestResponse"));
    }

    private DeclarativeManagement declarativeManagement(PlistDict body) throws BadMessageException {
        EnrollmentRef ref = enrollments.require(body);
        String endpoint = body.requireString("Endpoint");
        if (!DeclarativeEndpoints.isValid(endpoint)) {
            throw body.invalid("Endpoint", "must be tokens, declaration-items, status or"
                    + " declaration/<type>/<identifier>, not " + Text.quote(endpoint));
        }
        byte[] data = body.data("Data");
        requireUserLongNameOnMac(body, ref);
        return new DeclarativeManagement(ref, endpoint, data);
    }

    private ReturnToService returnToService(PlistDict body) throws BadMessageException {
        EnrollmentRef ref = enrollments.require(body);
        notInUserEnrollment(ref, MessageType.RETURN_TO_SERVICE);
        deviceChannelOnly(ref, MessageType.RETURN_TO_SERVICE);
        return new ReturnToService(ref);
    }

    private String topic(PlistDict body) throws BadMessageException {
        String topic = body.requireString("Topic");
        // Well-formed is checked here; whether the topic is served (com.apple.mgmt.*, MDMGW_TOPICS)
        // is the OrganizationDirectory's, which answers 403.
        enrollments.id(body, "Topic", topic);
        return topic;
    }

    private void requireUserLongNameOnMac(PlistDict body, EnrollmentRef ref) throws BadMessageException {
        String userLongName = body.string("UserLongName");
        if (isMacUserChannel(ref)) {
            requirePresent(body, "UserLongName", userLongName, MAC_USER_CHANNEL);
        }
    }

    /** UserID (not Shared iPad's) and EnrollmentUserID exist only on macOS user channels. */
    private static boolean isMacUserChannel(EnrollmentRef ref) {
        return ref.type() == EnrollmentType.USER || ref.type() == EnrollmentType.USER_ENROLLMENT;
    }

    private static void deviceChannelOnly(EnrollmentRef ref, MessageType type) throws BadMessageException {
        if (!ref.isDeviceChannel()) {
            String key = ref.type() == EnrollmentType.USER_ENROLLMENT ? ENROLLMENT_USER_ID : USER_ID;
            throw new BadMessageException(type.wireName() + " is only sent on the device channel, but the body has "
                    + key);
        }
    }

    private static void notInUserEnrollment(EnrollmentRef ref, MessageType type) throws BadMessageException {
        if (ref.isUserEnrollment()) {
            throw new BadMessageException(type.wireName() + " is not allowed in user enrollment (the body has "
                    + ENROLLMENT_ID + " and no UDID)");
        }
    }

    private static void forbid(PlistDict dict, String key, String where) throws BadMessageException {
        if (dict.has(key)) {
            throw dict.invalid(key, "is not allowed " + where);
        }
    }

    private static void requirePresent(PlistDict dict, String key, Object value, String why)
            throws BadMessageException {
        if (value == null) {
            throw new BadMessageException("missing required key " + dict.name(key) + " (" + why + ")");
        }
    }
}
