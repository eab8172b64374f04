package dev.mdmgw.gateway.http;

import dev.mdmgw.gateway.metrics.GatewayMetrics;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The device port's TLS when the gateway terminates mutual TLS itself ({@code MDMGW_DEVICE_AUTH=tls}):
 * a client certificate chaining to the device CA is required for the handshake to complete. A
 * refused handshake cannot be answered with a 403, so it is counted on the identity failure metric.
 */
public final class DeviceTls {
    private DeviceTls() {
    }

    /**
     * Counts handshakes refused because the client sent no certificate at all as {@code missing}.
     * Certificates that were sent and refused are counted by the trust manager instead; other
     * handshake failures (scanners, protocol mismatches) are no identity failures. The JDK says
     * "Empty client certificate chain" (TLS 1.3) or "Empty server certificate chain" (its TLS 1.2
     * server side): matched loosely, since no exception type tells it apart.
     */
    public static ChannelHandler missingCertificateCounter(GatewayMetrics metrics) {
        return new MissingCertificateCounter(metrics);
    }

    @ChannelHandler.Sharable
    private static final class MissingCertificateCounter extends ChannelInboundHandlerAdapter {
        private final GatewayMetrics metrics;

        MissingCertificateCounter(GatewayMetrics metrics) {
            this.metrics = metrics;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof SslHandshakeCompletionEvent done && !done.isSuccess() && noCertificate(done.cause())) {
                metrics.identityFailure("missing");
            }
            super.userEventTriggered(ctx, event);
        }

        private static boolean noCertificate(Throwable cause) {
            for (Throwable t = cause; t != null; t = t.getCause()) {
                String m = t.getMessage();
                if (m != null && m.contains("Empty") && m.contains("certificate chain")) {
                    return true;
                }
            }
            return false;
        }
    }

    public static SslContext serverContext(Path certFile, Path keyFile, Path caFile, GatewayMetrics metrics) {
        try {
            return SslContextBuilder.forServer(certFile.toFile(), keyFile.toFile())
                    .clientAuth(ClientAuth.REQUIRE)
                    .trustManager(new CountingTrustManager(caTrust(caFile), metrics))
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("MDMGW_TLS_CERT_FILE/MDMGW_TLS_KEY_FILE: cannot serve TLS with "
                    + certFile + " and " + keyFile + ": " + e.getMessage(), e);
        }
    }

    private static X509ExtendedTrustManager caTrust(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                anchors.setCertificateEntry("device-ca-" + i++, c);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(anchors);
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("the JDK offers no X509ExtendedTrustManager");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("MDMGW_DEVICE_CA_FILE " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** The JDK's PKIX trust manager over the device CA, counting what it refuses. */
    private static final class CountingTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        private final GatewayMetrics metrics;

        CountingTrustManager(X509ExtendedTrustManager delegate, GatewayMetrics metrics) {
            this.delegate = delegate;
            this.metrics = metrics;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            try {
                delegate.checkClientTrusted(chain, authType, engine);
            } catch (CertificateException e) {
                throw counted(e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            try {
                delegate.checkClientTrusted(chain, authType, socket);
            } catch (CertificateException e) {
                throw counted(e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                delegate.checkClientTrusted(chain, authType);
            } catch (CertificateException e) {
                throw counted(e);
            }
        }

        private CertificateException counted(CertificateException e) {
            boolean expired = false;
            for (Throwable t = e; t != null; t = t.getCause()) {
                expired |= t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException;
            }
            metrics.identityFailure(expired ? "expired" : "untrusted");
            return e;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("the device port only trusts clients");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("the device port only trusts clients");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the device port only trusts clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
