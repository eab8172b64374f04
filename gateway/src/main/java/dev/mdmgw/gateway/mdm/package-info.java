/**
 * The check-in protocol as typed, validated messages: one record per {@code MessageType}, each
 * naming the {@link dev.mdmgw.gateway.mdm.EnrollmentRef enrollment} it speaks for. Produced by
 * {@link dev.mdmgw.gateway.plist.CheckinDecoder}; records hold byte arrays as decoded (not
 * copied), and their toString keeps tokens and secrets out of logs.
 */
package dev.mdmgw.gateway.mdm;
