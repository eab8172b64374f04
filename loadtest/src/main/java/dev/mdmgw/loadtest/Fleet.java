package dev.mdmgw.loadtest;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/** The simulated devices, prepared (certificates issued, bodies signed) on every core before any load. */
public final class Fleet {
    private final List<Device> devices;

    public Fleet(List<Device> devices) {
        this.devices = devices;
    }

    /** {@code ca} null with {@code --auth none}. */
    public static Fleet prepare(int size, String udidPrefix, DeviceCa ca, RequestCatalog catalog) {
        AtomicInteger done = new AtomicInteger();
        long start = System.nanoTime();
        // Signing a big fleet takes minutes: say how far it got every 5 s.
        ScheduledExecutorService timer = Timers.daemon("loadtest-prepare");
        timer.scheduleAtFixedRate(() -> System.err.printf(Locale.ROOT, "[prepare] %5.1fs %d/%d devices%n",
                (System.nanoTime() - start) / 1e9, done.get(), size), 5, 5, TimeUnit.SECONDS);
        try {
            List<Device> devices = IntStream.range(0, size).parallel().mapToObj(i -> {
                String udid = udidPrefix + String.format(Locale.ROOT, "%09d", i);
                DeviceIdentity identity = ca == null ? null : ca.issue(udid, i);
                Device d = new Device(i, udid, catalog.prepare(udid, i, identity));
                done.incrementAndGet();
                return d;
            }).toList();
            return new Fleet(devices);
        } finally {
            timer.shutdownNow();
        }
    }

    public List<Device> devices() {
        return devices;
    }

    public int size() {
        return devices.size();
    }

    /**
     * A device with nothing in flight, acquired; null if none was found. A few random probes
     * first, then a scan, so a closed model with no more workers than devices always finds one.
     */
    public Device acquireIdle() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int n = devices.size();
        for (int i = 0; i < 8; i++) {
            Device d = devices.get(r.nextInt(n));
            if (d.tryAcquire()) {
                return d;
            }
        }
        int start = r.nextInt(n);
        for (int i = 0; i < n; i++) {
            Device d = devices.get((start + i) % n);
            if (d.tryAcquire()) {
                return d;
            }
        }
        return null;
    }
}
