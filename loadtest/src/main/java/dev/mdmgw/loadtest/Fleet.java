package dev.mdmgw.loadtest;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

/** The simulated devices, prepared (certificates issued, bodies signed) on every core before any load. */
public final class Fleet {
    private final List<Device> devices;

    public Fleet(List<Device> devices) {
        this.devices = devices;
    }

    /** {@code ca} null with {@code --auth none}. */
    public static Fleet prepare(int size, String udidPrefix, DeviceCa ca, RequestCatalog catalog) {
        List<Device> devices = IntStream.range(0, size).parallel().mapToObj(i -> {
            String udid = udidPrefix + String.format(Locale.ROOT, "%09d", i);
            DeviceIdentity identity = ca == null ? null : ca.issue(udid, i);
            return new Device(i, udid, catalog.build(udid, i, identity));
        }).toList();
        return new Fleet(devices);
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
