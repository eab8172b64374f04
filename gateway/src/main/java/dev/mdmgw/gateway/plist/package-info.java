/**
 * Request bytes to {@link dev.mdmgw.gateway.mdm.CheckinMessage}: XML plists through a streaming
 * StAX reader (the hot path), binary plists through dd-plist, both into plain Java values that
 * {@code CheckinBinder} validates against the schema's per-channel rules. Everything a client
 * can get wrong ends as a {@link dev.mdmgw.gateway.plist.BadMessageException} (a 400).
 */
package dev.mdmgw.gateway.plist;
