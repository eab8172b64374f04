package dev.mdmgw.loadtest;

import io.netty.util.ResourceLeakDetector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.ArrayList;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The CLI: prepares the fleet, enrolls it, warms up, runs the measured scenario, verifies, reports. */
@Command(name = "mdm-loadtest", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Simulates a fleet of Apple devices checking in to an MDM check-in gateway.")
public final class LoadtestCommand implements Callable<Integer> {
    /** Longest wait for answers still in flight when a phase ends (the client's response timeout). */
    private static final long DRAIN_NANOS = Duration.ofSeconds(35).toNanos();
    private static final int DEFAULT_CONNECTIONS = 64;

    public enum Scenario { steady, storm, enroll_wave }

    @Option(names = "--target", defaultValue = "http://127.0.0.1:8080", description = "gateway base URL (default: ${DEFAULT-VALUE})")
    String target;
    @Option(names = "--devices", defaultValue = "1000", description = "fleet size (default: ${DEFAULT-VALUE})")
    int devices;
    @Option(names = "--rate", description = "open model: requests/s on a fixed schedule, latency from the intended send time")
    Double rate;
    @Option(names = "--connections", description = "closed model: this many workers each send, wait, send again (default when no --rate: "
            + DEFAULT_CONNECTIONS + ")")
    Integer connections;
    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class, description = "measured phase (default: ${DEFAULT-VALUE})")
    Duration duration;
    @Option(names = "--warmup", defaultValue = "10s", converter = DurationConverter.class, description = "warm-up with the mix, not reported (default: ${DEFAULT-VALUE})")
    Duration warmup;
    @Option(names = "--ramp", converter = DurationConverter.class, description = "open model: the warm-up's arrival rate rises linearly from 0 to --rate over this time (default: a third of --warmup)")
    Duration ramp;
    @Option(names = "--mix", defaultValue = "tokenupdate=94,authenticate=5,checkout=1", description = "type=weight,... (default: ${DEFAULT-VALUE})")
    String mix;
    @Option(names = "--auth", defaultValue = "signature", description = "signature|header|none (default: ${DEFAULT-VALUE})")
    String auth;
    @Option(names = "--cert-header", description = "header mode: the header carrying the certificate, RFC 9440 :base64(DER):")
    String certHeader;
    @Option(names = "--ca-cert", description = "device CA certificate (PEM)")
    Path caCert;
    @Option(names = "--ca-key", description = "device CA key (unencrypted PEM)")
    Path caKey;
    @Option(names = "--scenario", defaultValue = "steady", description = "steady|storm|enroll-wave (default: ${DEFAULT-VALUE})")
    String scenario;
    @Option(names = "--skip-enroll", description = "do not enroll first. Identities are issued afresh each run, so with signature/header auth the gateway must accept them"
            + " unbound: devices it holds no certificate for (a seeded table) and MDMGW_CERT_RETRO=true, or --auth none")
    boolean skipEnroll;
    @Option(names = "--verify", arity = "0..1", fallbackValue = "0", paramLabel = "N",
            description = "afterwards, check N devices (default: all) hold their last acknowledged TokenUpdate; needs --admin-key")
    Integer verify;
    @Option(names = "--admin-key", description = "bearer key of the gateway's admin API")
    String adminKey;
    @Option(names = "--report", description = "write PREFIX.json and PREFIX.md")
    String report;
    @Option(names = "--topic", defaultValue = "com.apple.mgmt.External.loadtest", description = "APNs topic (default: ${DEFAULT-VALUE})")
    String topic;
    @Option(names = "--udid-prefix", defaultValue = "LOADTEST-", description = "device ids are PREFIX + 9 digits (default: ${DEFAULT-VALUE})")
    String udidPrefix;
    @Option(names = "--key-pool", defaultValue = "64", description = "RSA keys shared round-robin by the fleet's certificates (default: ${DEFAULT-VALUE})")
    int keyPool;
    @Option(names = "--token-variants", defaultValue = "3", description = "signed TokenUpdates prepared per device (default: ${DEFAULT-VALUE})")
    int tokenVariants;
    @Option(names = "--max-in-flight", defaultValue = "10000", description = "open model: due requests beyond this many in flight count as overflow errors (default: ${DEFAULT-VALUE})")
    int maxInFlight;
    @Option(names = "--max-connections", defaultValue = "1024", description = "open model: HTTP connections (default: ${DEFAULT-VALUE})")
    int maxConnections;

    public static void main(String[] args) {
        // Netty's sampled leak tracking records a stack trace for 1 buffer in 128: a few percent of
        // the generator's CPU at tens of thousands of requests/s. Tests (run()) keep it on.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        System.exit(run(args));
    }

    /** Runs the CLI in this JVM and returns its exit code: 0, 1 (lost/stale writes), 2 (bad options). */
    public static int run(String... args) {
        return new CommandLine(new LoadtestCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        Mix theMix;
        AuthMode mode;
        Scenario sc;
        try {
            theMix = Mix.parse(mix);
            mode = AuthMode.valueOf(auth.toUpperCase(Locale.ROOT));
            sc = Scenario.valueOf(scenario.replace('-', '_').toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) { // picocli answers a ParameterException with usage and exit code 2
            throw new CommandLine.ParameterException(new CommandLine(this), "bad --mix, --auth or --scenario: " + e.getMessage());
        }
        validate(mode);

        long t0 = System.nanoTime();
        DeviceCa ca = mode == AuthMode.NONE ? null : DeviceCa.load(caCert, caKey, Math.min(keyPool, devices));
        RequestCatalog catalog = new RequestCatalog(mode, certHeader, topic, theMix.types(), tokenVariants);
        Fleet fleet = Fleet.prepare(devices, udidPrefix, ca, catalog);
        System.err.printf(Locale.ROOT, "prepared %d devices (%s) in %.1f s%n", devices, mode.name().toLowerCase(Locale.ROOT),
                (System.nanoTime() - t0) / 1e9);

        int workers = connections != null ? Math.min(connections, devices) : DEFAULT_CONNECTIONS;
        List<Report.Phase> phases = new ArrayList<>();
        Verifier.Result verification = null;
        try (Sender sender = new Sender(target, rate != null ? maxConnections : Math.max(workers, 1))) {
            if (!skipEnroll && sc != Scenario.enroll_wave) {
                Recorder r = new Recorder();
                phases.add(phase("enroll", r, () -> new ClosedModel(Math.min(workers, devices))
                        .run(FleetPassLoad.enrollment(fleet, new Exchange(sender, r)), Long.MAX_VALUE / 4, DRAIN_NANOS)));
            }
            if (sc == Scenario.steady && rate != null && !warmup.isZero()) {
                phases.addAll(continuousOpenModel(fleet, theMix, sender));
            } else {
                if (sc != Scenario.enroll_wave && !warmup.isZero()) {
                    Recorder r = new Recorder();
                    // Reported too, apart, because its errors explain a bad measured phase (device-busy: too few devices for the rate).
                    phases.add(phase("warmup (not measured)", r,
                            () -> drive(new MixLoad(fleet, theMix, new Exchange(sender, r)), warmup.toNanos())));
                }
                Recorder r = new Recorder();
                Exchange ex = new Exchange(sender, r);
                String name = sc.name().replace('_', '-');
                switch (sc) {
                    case steady -> phases.add(phase(name, r, () -> drive(new MixLoad(fleet, theMix, ex), duration.toNanos())));
                    case storm -> phases.add(phase(name, r, () -> drive(FleetPassLoad.storm(fleet, ex), Long.MAX_VALUE / 4)));
                    case enroll_wave -> phases.add(phase(name, r, () -> drive(FleetPassLoad.enrollment(fleet, ex), Long.MAX_VALUE / 4)));
                }
            }
            if (verify != null) {
                verification = new Verifier(sender.http(), adminKey).verify(fleet, verify);
                System.err.println("verify: " + verification.summary().lines().findFirst().orElse(""));
            }
        }

        Report rep = new Report(settings(mode, sc, workers), phases, verification);
        System.out.print(rep.markdown());
        System.out.flush();
        if (report != null) {
            rep.write(report);
        }
        return verification != null && verification.failed() ? 1 : 0;
    }

    private void validate(AuthMode mode) {
        CommandLine cl = new CommandLine(this);
        if (rate != null && connections != null) {
            throw new CommandLine.ParameterException(cl, "--rate (open model) and --connections (closed model) exclude each other");
        }
        if (devices < 1 || (rate != null && rate <= 0) || (connections != null && connections < 1)) {
            throw new CommandLine.ParameterException(cl, "--devices, --rate and --connections must be positive");
        }
        if (mode != AuthMode.NONE && (caCert == null || caKey == null)) {
            throw new CommandLine.ParameterException(cl, "--auth " + auth + " needs --ca-cert and --ca-key to issue device identities");
        }
        if (mode == AuthMode.HEADER && (certHeader == null || certHeader.isBlank())) {
            throw new CommandLine.ParameterException(cl, "--auth header needs --cert-header NAME");
        }
        if (ramp != null && (ramp.isNegative() || ramp.compareTo(warmup) > 0)) {
            throw new CommandLine.ParameterException(cl, "--ramp must be between 0 and --warmup (" + warmup + ")");
        }
        if (tokenVariants < 1 || tokenVariants > Device.MAX_VARIANTS) {
            throw new CommandLine.ParameterException(cl, "--token-variants must be 1 to " + Device.MAX_VARIANTS);
        }
        if (verify != null && adminKey == null) {
            throw new CommandLine.ParameterException(cl, "--verify needs --admin-key");
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    /** Runs one phase with its progress line; the result covers the time until the last answer. */
    private static Report.Phase phase(String name, Recorder recorder, Body body) throws Exception {
        long start = System.nanoTime();
        try (Progress p = new Progress(name.split(" ")[0], recorder, System.err)) {
            body.run();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return Report.phase(name, recorder, seconds);
    }

    /**
     * The open model's warm-up and measured phase as one arrival schedule (see {@link PhasedLoad}):
     * a timer switches the target, the recorder and the progress line when the warm-up is over.
     */
    private List<Report.Phase> continuousOpenModel(Fleet fleet, Mix theMix, Sender sender) {
        Recorder warm = new Recorder();
        Recorder measured = new Recorder();
        PhasedLoad load = new PhasedLoad(new MixLoad(fleet, theMix, new Exchange(sender, warm)),
                new MixLoad(fleet, theMix, new Exchange(sender, measured)));
        AtomicReference<Progress> progress = new AtomicReference<>(new Progress("warmup", warm, System.err));
        AtomicLong switchedAt = new AtomicLong();
        ScheduledExecutorService timer = Timers.daemon("loadtest-phase");
        long start = System.nanoTime();
        timer.schedule(() -> {
            load.switchToMeasured();
            switchedAt.set(System.nanoTime());
            progress.getAndSet(new Progress("steady", measured, System.err)).close();
        }, warmup.toNanos(), TimeUnit.NANOSECONDS);
        try {
            new OpenModel(rate, maxInFlight, rampNanos()).run(load, warmup.toNanos() + duration.toNanos(), DRAIN_NANOS);
        } finally {
            timer.shutdownNow();
            progress.get().close();
        }
        long end = System.nanoTime();
        long switched = switchedAt.get() == 0 ? end : switchedAt.get();
        return List.of(Report.phase("warmup (not measured)", warm, (switched - start) / 1e9),
                Report.phase(Scenario.steady.name(), measured, (end - switched) / 1e9));
    }

    private long rampNanos() {
        return (ramp != null ? ramp : warmup.dividedBy(3)).toNanos();
    }

    private void drive(Load load, long nanos) throws InterruptedException {
        if (rate != null) {
            new OpenModel(rate, maxInFlight).run(load, nanos, DRAIN_NANOS);
        } else {
            new ClosedModel(connections != null ? Math.min(connections, devices) : Math.min(DEFAULT_CONNECTIONS, devices))
                    .run(load, nanos, DRAIN_NANOS);
        }
    }

    private Map<String, Object> settings(AuthMode mode, Scenario sc, int workers) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", target);
        m.put("scenario", sc.name().replace('_', '-'));
        m.put("model", rate != null ? "open, " + rate + " requests/s" : "closed, " + workers + " connections");
        m.put("devices", devices);
        m.put("auth", mode.name().toLowerCase(Locale.ROOT));
        m.put("mix", mix);
        m.put("duration", duration.toString());
        m.put("warmup", warmup.toString());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("date", java.time.Instant.now().toString());
        return m;
    }

    /** {@code 30s}, {@code 2m}, {@code 500ms}, {@code 1h}, or an ISO-8601 duration. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String v) {
            String s = v.trim().toLowerCase(Locale.ROOT);
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            if (s.startsWith("p")) {
                return Duration.parse(v);
            }
            char unit = s.charAt(s.length() - 1);
            String n = Character.isDigit(unit) ? s : s.substring(0, s.length() - 1);
            long amount = Long.parseLong(n);
            return switch (unit) {
                case 'h' -> Duration.ofHours(amount);
                case 'm' -> Duration.ofMinutes(amount);
                default -> Duration.ofSeconds(amount);
            };
        }
    }
}
