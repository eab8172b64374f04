package dev.mdmgw.gateway.service.token;

import dev.mdmgw.persistence.CheckinStore;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.io.Serializer;
import io.jsonwebtoken.jackson.io.JacksonDeserializer;
import io.jsonwebtoken.jackson.io.JacksonSerializer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import reactor.core.publisher.Mono;

/**
 * GetToken for {@code com.apple.watch.pairing}: our own token, a JWS (HS256, key
 * {@code MDMGW_WATCH_PAIRING_KEY}) binding the phone, the watch, the phone's SecurityToken and the
 * phone's organization, with its issue and expiry times and a random id. The watch's MDM server
 * checks it once through the admin API: a token verifies a single time, within its lifetime, for
 * its own organization; tampered, expired, foreign and replayed tokens are refused.
 */
public final class WatchPairingTokens {
    public static final Duration LIFETIME = Duration.ofHours(1);
    static final String TYPE = "mdmgw-watch-pairing";

    private final SecretKey key;
    private final CheckinStore store;
    private final Clock clock;
    // Built once: jjwt looks its services up through ServiceLoader (jar reads) on every build.
    private final JwtParser parser;
    private final Serializer<Map<String, ?>> json = new JacksonSerializer<>();

    public WatchPairingTokens(byte[] key, CheckinStore store, Clock clock) {
        if (key.length < 32) {
            throw new IllegalArgumentException("MDMGW_WATCH_PAIRING_KEY must be at least 32 bytes");
        }
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.store = store;
        this.clock = clock;
        this.parser = Jwts.parser().json(new JacksonDeserializer<>()).verifyWith(this.key)
                .clock(() -> Date.from(clock.instant())).build();
    }

    /** What a verified token proves. */
    public record Pairing(String phoneUdid, String watchUdid, String securityToken, String organization,
            Instant issuedAt) {
    }

    /** A verification refused, with why (tampered, expired, foreign, used). */
    public static final class RefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RefusedException(String message) {
            super(message);
        }
    }

    public String issue(String organization, String phoneUdid, String watchUdid, String securityToken) {
        Instant now = clock.instant();
        return Jwts.builder()
                .json(json)
                .header().type(TYPE).and()
                .id(UUID.randomUUID().toString())
                .issuedAt(Date.from(now))
                .expiration(Date.from(now.plus(LIFETIME)))
                .claim("org", organization)
                .claim("phoneUDID", phoneUdid)
                .claim("watchUDID", watchUdid)
                .claim("securityToken", securityToken)
                .signWith(key, Jwts.SIG.HS256)
                .compact();
    }

    /** Completes with the pairing the first time a valid token of {@code organization} is shown. */
    public Mono<Pairing> verify(String organization, String token) {
        Claims claims;
        try {
            var parsed = parser.parseSignedClaims(token);
            if (!TYPE.equals(parsed.getHeader().getType())) {
                throw new RefusedException("not a watch-pairing token");
            }
            claims = parsed.getPayload();
        } catch (io.jsonwebtoken.ExpiredJwtException e) {
            return Mono.error(new RefusedException("token expired"));
        } catch (JwtException | IllegalArgumentException e) {
            return Mono.error(new RefusedException("token is not valid (tampered or not ours)"));
        } catch (RefusedException e) {
            return Mono.error(e);
        }
        if (!organization.equals(claims.get("org", String.class))) {
            return Mono.error(new RefusedException("token is not valid (tampered or not ours)"));
        }
        UUID id;
        try {
            id = UUID.fromString(claims.getId());
        } catch (RuntimeException e) {
            return Mono.error(new RefusedException("token is not valid (tampered or not ours)"));
        }
        Pairing pairing = new Pairing(claims.get("phoneUDID", String.class), claims.get("watchUDID", String.class),
                claims.get("securityToken", String.class), organization, claims.getIssuedAt().toInstant());
        return store.consumeWatchPairingToken(id, claims.getExpiration().toInstant())
                .flatMap(first -> first ? Mono.just(pairing) : Mono.error(new RefusedException("token already used")));
    }
}
