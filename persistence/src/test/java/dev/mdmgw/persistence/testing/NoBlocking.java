package dev.mdmgw.persistence.testing;

import reactor.blockhound.BlockHound;

/** Installs BlockHound once per JVM, with the few known false positives allowed. */
public final class NoBlocking {
    private NoBlocking() {
    }

    public static synchronized void install() {
        // Netty 4.2's adaptive allocator briefly takes a StampedLock when it grows, which BlockHound
        // reports as a park (a known false positive, see line/armeria#6344); nothing else is allowed.
        BlockHound.install(builder -> builder
                .allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines")
                .allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free"));
    }
}
