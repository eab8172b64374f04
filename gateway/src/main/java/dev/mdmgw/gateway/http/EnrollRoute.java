package dev.mdmgw.gateway.http;

import dev.mdmgw.gateway.service.org.EnrollCodes;
import dev.mdmgw.gateway.service.profile.EnrollmentProfile;
import dev.mdmgw.gateway.service.profile.ProfileSigner;
import dev.mdmgw.persistence.StoreException;
import dev.mdmgw.persistence.org.EnrollmentToken;
import dev.mdmgw.persistence.org.OrganizationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerResponse;

/**
 * {@code GET /mdm/enroll/<enrollCode>}, the enrollment link: the token's {@code .mobileconfig},
 * CMS-signed when a signing certificate is configured. The code is the capability (50 random
 * bits), so no key is asked. Unknown, DELETED and EXPIRED tokens get 404; an organization without
 * a topic or SCEP settings 409.
 */
public final class EnrollRoute {
    static final String PREFIX = EnrollmentTokenAdmin.ENROLL_PATH;
    private static final Logger log = LoggerFactory.getLogger(EnrollRoute.class);

    private final OrganizationStore store;
    private final PublicUrl publicUrl;
    private final ProfileSigner signer;

    /** {@code signer} null: profiles go out unsigned. */
    public EnrollRoute(OrganizationStore store, PublicUrl publicUrl, ProfileSigner signer) {
        this.store = store;
        this.publicUrl = publicUrl;
        this.signer = signer;
    }

    Mono<Void> handle(String path, HttpServerResponse res) {
        String code = path.substring(PREFIX.length());
        if (!EnrollCodes.PATTERN.matcher(code).matches()) {
            return Responses.text(res, 404, "no such enrollment link\n");
        }
        return store.findEnrollmentTokenByCode(code)
                .filter(EnrollRoute::enrollable)
                .flatMap(token -> store.findOrganization(token.organizationId())
                        .map(org -> EnrollmentProfile.build(token, org, publicUrl.get())))
                .flatMap(profile -> signer == null ? Mono.just(profile)
                        : Mono.fromCallable(() -> signer.sign(profile)).subscribeOn(Schedulers.boundedElastic()))
                .flatMap(body -> Responses.bytes(res.header("Content-Disposition", "attachment; filename=\"enroll.mobileconfig\""),
                        200, EnrollmentProfile.CONTENT_TYPE, body))
                .switchIfEmpty(Mono.defer(() -> Responses.text(res, 404, "no such enrollment link\n")))
                .onErrorResume(e -> {
                    if (res.hasSentHeaders()) {
                        return Mono.empty();
                    }
                    if (e instanceof EnrollmentProfile.NotConfiguredException) {
                        return Responses.text(res, 409, e.getMessage() + "\n");
                    }
                    if (!(e instanceof StoreException)) {
                        log.error("enrollment profile failed on our side; answering 503", e);
                    }
                    return Responses.text(Responses.retryAfter(res), 503, "temporarily unavailable, retry later\n");
                });
    }

    private static boolean enrollable(EnrollmentToken t) {
        return t.state().equals("PENDING") || t.state().equals("DONE");
    }
}
