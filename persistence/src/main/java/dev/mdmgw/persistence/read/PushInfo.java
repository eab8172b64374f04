package dev.mdmgw.persistence.read;

/** What an APNs sender needs for one enabled enrollment. */
public record PushInfo(String id, String topic, String pushMagic, byte[] token) {
}
