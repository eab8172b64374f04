package dev.mdmgw.loadtest;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Weighted message types from {@code --mix tokenupdate=80,authenticate=5,...}. */
public final class Mix {
    private final Map<MessageType, Integer> weights;
    private final MessageType[] types;
    private final int[] cumulative;
    private final int total;

    private Mix(Map<MessageType, Integer> weights) {
        this.weights = Collections.unmodifiableMap(new EnumMap<>(weights));
        this.types = weights.keySet().toArray(MessageType[]::new);
        this.cumulative = new int[types.length];
        int sum = 0;
        for (int i = 0; i < types.length; i++) {
            sum += weights.get(types[i]);
            cumulative[i] = sum;
        }
        this.total = sum;
    }

    public static Mix parse(String spec) {
        Map<MessageType, Integer> w = new EnumMap<>(MessageType.class);
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.split("=", 2);
            int weight = kv.length == 2 ? Integer.parseInt(kv[1].trim()) : 1;
            if (weight < 0) {
                throw new IllegalArgumentException("negative weight in --mix: " + part);
            }
            if (weight > 0) {
                w.merge(MessageType.ofOption(kv[0]), weight, Integer::sum);
            }
        }
        if (w.isEmpty()) {
            throw new IllegalArgumentException("--mix names no message type with a positive weight");
        }
        return new Mix(w);
    }

    public static Mix only(MessageType type) {
        return new Mix(Map.of(type, 1));
    }

    public MessageType pick() {
        int r = ThreadLocalRandom.current().nextInt(total);
        for (int i = 0; i < cumulative.length; i++) {
            if (r < cumulative[i]) {
                return types[i];
            }
        }
        return types[types.length - 1];
    }

    public Set<MessageType> types() {
        return weights.keySet();
    }

    public Map<MessageType, Integer> weights() {
        return weights;
    }
}
