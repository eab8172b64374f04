package dev.mdmgw.persistence.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs PostgreSQL's programs (initdb, pg_ctl, postgres) as the cluster's account, with their
 * output appended to the cluster log rather than our stdout. Failures carry the output the
 * program appended, which is where PostgreSQL says what went wrong.
 */
final class PostgresPrograms {
    private static final int MAX_OUTPUT_IN_MESSAGE = 4000;

    private final PostgresBinaries binaries;
    private final RunAs runAs;
    private final Path workDir;
    private final Path log;

    PostgresPrograms(PostgresBinaries binaries, RunAs runAs, Path workDir, Path log) {
        this.binaries = binaries;
        this.runAs = runAs;
        this.workDir = workDir;
        this.log = log;
    }

    /** Returns what the program printed; throws when it fails or outlives {@code timeout}. */
    String run(Duration timeout, String program, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binaries.program(program));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(runAs.wrap(command))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // PGDATA, PGPORT, PGOPTIONS... from the gateway's environment are meant for other servers.
        builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
        try {
            long logSizeBefore = Files.size(log);
            Process process = builder.start();
            process.getOutputStream().close();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly();
            }
            String output = readFrom(logSizeBefore);
            if (!finished) {
                throw failure(program + " did not finish within " + timeout.toSeconds() + " s", output);
            }
            if (process.exitValue() != 0) {
                throw failure(program + " failed (exit code " + process.exitValue() + ")", output);
            }
            return output;
        } catch (IOException e) {
            throw new EmbeddedPostgresException("Cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedPostgresException("Interrupted while running " + program, e);
        }
    }

    private EmbeddedPostgresException failure(String what, String output) {
        String tail = output.length() > MAX_OUTPUT_IN_MESSAGE
                ? "..." + output.substring(output.length() - MAX_OUTPUT_IN_MESSAGE)
                : output;
        return new EmbeddedPostgresException(what + "; see " + log + ":\n" + tail.strip());
    }

    private String readFrom(long offset) throws IOException {
        try (InputStream in = Files.newInputStream(log)) {
            in.skipNBytes(Math.min(offset, Files.size(log)));
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
