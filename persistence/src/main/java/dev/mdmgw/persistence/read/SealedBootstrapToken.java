package dev.mdmgw.persistence.read;

/** A device's escrowed bootstrap token as stored: sealed, with the id of the key that sealed it. */
public record SealedBootstrapToken(String keyId, byte[] sealedToken) {

    @Override
    public String toString() {
        return "SealedBootstrapToken[keyId=" + keyId + ", sealedToken=<" + sealedToken.length + " bytes>]";
    }
}
