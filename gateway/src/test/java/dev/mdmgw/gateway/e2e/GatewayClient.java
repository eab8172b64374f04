package dev.mdmgw.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** A plain blocking HTTP client for tests: device check-ins and admin calls over a real socket. */
final class GatewayClient {
    static final String CHECKIN_TYPE = "application/x-apple-aspen-mdm-checkin";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;
    private final String mgmtBase;
    private final String apiKey;

    GatewayClient(int httpPort, int mgmtPort, String apiKey) {
        this.base = "http://127.0.0.1:" + httpPort;
        this.mgmtBase = "http://127.0.0.1:" + mgmtPort;
        this.apiKey = apiKey;
    }

    HttpResponse<String> checkin(byte[] body) {
        return checkin(body, CHECKIN_TYPE);
    }

    HttpResponse<String> checkin(byte[] body, String contentType) {
        return send(HttpRequest.newBuilder(URI.create(base + "/mdm/checkin"))
                .header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** A check-in with extra headers: {@code name, value, name, value, ...}. */
    HttpResponse<String> checkin(byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/mdm/checkin"))
                .header("Content-Type", CHECKIN_TYPE)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    /** The {@code data} of a successful admin answer, failing the test on anything else. */
    JsonNode enrollment(String id) {
        Answer a = adminGet("/v1/organizations/default/mdm/apple/enrollments/" + encode(id));
        if (a.status() != 200) {
            throw new AssertionError("GET enrollment " + id + " answered " + a.status() + ": " + a.body());
        }
        return a.body().get("data");
    }

    Answer adminGet(String path) {
        return admin(HttpRequest.newBuilder(URI.create(base + path)).GET(), apiKey);
    }

    Answer adminGet(String path, String key) {
        return admin(HttpRequest.newBuilder(URI.create(base + path)).GET(), key);
    }

    Answer adminPost(String path, String json) {
        return admin(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), apiKey);
    }

    /** Any admin call: {@code json} null sends no body, {@code key} null no Authorization. */
    Answer admin(String method, String path, String json, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return admin(b, key);
    }

    /** A check-in to {@code /mdm/checkin?<query>}, as a profile's CheckInURL with a token sends it. */
    HttpResponse<String> checkinWithQuery(String query, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(base + "/mdm/checkin?" + query))
                .header("Content-Type", CHECKIN_TYPE)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** A plain GET of an absolute URL (an enrollment link), the body as bytes. */
    HttpResponse<byte[]> getBytes(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    HttpResponse<String> mgmt(String path) {
        return send(HttpRequest.newBuilder(URI.create(mgmtBase + path)).GET().build());
    }

    /**
     * {@code mdmgw_identity_failures_total{reason="..."}} as {@code /metrics} shows it now (every
     * reason is published at 0 from the start when identity checks are on).
     */
    double identityFailures(String reason) {
        HttpResponse<String> r = mgmt("/metrics");
        if (r.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + r.statusCode());
        }
        String label = "reason=\"" + reason + "\"";
        for (String line : r.body().split("\n")) {
            if (line.startsWith("mdmgw_identity_failures_total{") && line.contains(label)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no mdmgw_identity_failures_total{" + label + "} in /metrics");
    }

    /** The status of a GET sent as raw bytes, for paths java.net.URI refuses to build. */
    int rawGetStatus(String pathAndQuery) {
        try (Socket socket = new Socket("127.0.0.1", URI.create(base).getPort())) {
            socket.setSoTimeout(30_000);
            String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer " + apiKey
                    + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return Integer.parseInt(answer.substring(9, 12));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private Answer admin(HttpRequest.Builder builder, String key) {
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        HttpResponse<String> r = send(builder.build());
        try {
            return new Answer(r.statusCode(), JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new AssertionError("admin answer is not JSON: " + r.body(), e);
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    record Answer(int status, JsonNode body) {
    }
}
