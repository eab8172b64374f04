package dev.mdmgw.gateway.service.token;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.io.Serializer;
import io.jsonwebtoken.jackson.io.JacksonSerializer;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * GetToken for {@code com.apple.maid}: an RS256 JWT (RFC 7519) that Apple's managed Apple ID
 * service accepts as coming from this MDM server, as registered in Apple Business/School Manager:
 * {@code iss} = the server's {@code server_uuid}, {@code iat}, a random single-use {@code jti},
 * {@code service_type}, signed with the key whose certificate is registered there.
 */
public final class MaidTokens {
    public static final String SERVICE_TYPE = "com.apple.maid";

    private final String serverUuid;
    private final PrivateKey key;
    private final Clock clock;
    // Given explicitly: left to find its own, jjwt looks it up through ServiceLoader (jar reads) per token.
    private final Serializer<Map<String, ?>> json = new JacksonSerializer<>();

    public MaidTokens(String serverUuid, PrivateKey key, Clock clock) {
        this.serverUuid = serverUuid;
        this.key = key;
        this.clock = clock;
    }

    /** Reads {@code MDMGW_TOKEN_SIGNING_KEY_FILE}: an RSA private key, PEM, PKCS#1 or PKCS#8. */
    public static PrivateKey readKey(Path file) {
        try (Reader in = Files.newBufferedReader(file); PEMParser pem = new PEMParser(in)) {
            Object o = pem.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            PrivateKey key = o instanceof PEMKeyPair pair ? converter.getKeyPair(pair).getPrivate()
                    : o instanceof PrivateKeyInfo info ? converter.getPrivateKey(info) : null;
            if (!(key instanceof RSAPrivateKey rsa) || rsa.getModulus().bitLength() < 2048) {
                throw new IllegalArgumentException("MDMGW_TOKEN_SIGNING_KEY_FILE " + file
                        + ": not an unencrypted PEM RSA private key of at least 2048 bits");
            }
            return key;
        } catch (IOException e) {
            throw new IllegalArgumentException("MDMGW_TOKEN_SIGNING_KEY_FILE " + file + ": " + e.getMessage(), e);
        }
    }

    public String issue() {
        return Jwts.builder()
                .json(json)
                .issuer(serverUuid)
                .issuedAt(Date.from(clock.instant()))
                .id(UUID.randomUUID().toString())
                .claim("service_type", SERVICE_TYPE)
                .signWith(key, Jwts.SIG.RS256)
                .compact();
    }
}
