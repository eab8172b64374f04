package dev.mdmgw.gateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real {@code mdm-gateway.jar} (built in the package phase) in its own JVM, as an operator
 * runs it: environment in, JSON log lines out (kept, for the tests to read), SIGTERM to stop.
 */
final class GatewayProcess implements AutoCloseable {
    private static final Path JAR = Path.of(System.getProperty("gateway.jar", "target/mdm-gateway.jar"));
    private static final Pattern LISTENING = Pattern.compile("http://0\\.0\\.0\\.0:(\\d+).*http://0\\.0\\.0\\.0:(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final int httpPort;
    private final int mgmtPort;
    private final Thread reader;

    private GatewayProcess(Process process) throws IOException {
        this.process = process;
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        int[] ports = null;
        String line;
        while (ports == null && (line = out.readLine()) != null) {
            lines.add(line);
            Matcher m = LISTENING.matcher(line);
            if (line.contains("mdm-gateway listening") && m.find()) {
                ports = new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
            }
        }
        if (ports == null) {
            process.destroyForcibly();
            throw new AssertionError("the gateway ended before it listened:\n" + String.join("\n", lines));
        }
        this.httpPort = ports[0];
        this.mgmtPort = ports[1];
        // Keep reading: a full pipe would block the gateway's logging, and the tests read the lines.
        this.reader = new Thread(() -> {
            try {
                String l;
                while ((l = out.readLine()) != null) {
                    lines.add(l);
                }
            } catch (IOException ignored) {
                // The process is gone.
            }
        }, "gateway-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the jar with exactly {@code env} (plus PATH and HOME) and waits until it listens. */
    static GatewayProcess start(Map<String, String> env) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new AssertionError(JAR.toAbsolutePath() + " is missing: these tests run after the package phase");
        }
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", JAR.toString()).redirectErrorStream(true);
        Map<String, String> childEnv = pb.environment();
        childEnv.keySet().removeIf(k -> k.startsWith("MDMGW_"));
        childEnv.putAll(env);
        return new GatewayProcess(pb.start());
    }

    int httpPort() {
        return httpPort;
    }

    int mgmtPort() {
        return mgmtPort;
    }

    /** What Kubernetes sends a pod it deletes. */
    void sigterm() {
        // Through the handle: Process.destroy() would also close our end of its output.
        process.toHandle().destroy();
    }

    /** Waits for the exit and answers its code; fails when the process outlives {@code seconds}. */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the gateway did not exit within " + seconds + " s:\n" + String.join("\n", lines));
        }
        // The exit leaves its last lines in the pipe: read them all before anyone looks.
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Every line it printed so far, stdout and stderr. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    /** The lines that are JSON log events, parsed. */
    List<JsonNode> events() {
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines()) {
            if (line.startsWith("{")) {
                try {
                    events.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException("not a JSON log line: " + line, e);
                }
            }
        }
        return events;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
