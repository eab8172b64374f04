package dev.mdmgw.loadtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSAttributeTableGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/** A device's identity certificate and key: signs bodies as a device does, or shows itself as a proxy would. */
public record DeviceIdentity(X509CertificateHolder certificate, KeyPair key) {

    /** {@code Mdm-Signature}: base64 of a detached CMS SignedData over the exact body, signer certificate included. */
    public String sign(byte[] body) {
        try {
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .setSignedAttributeGenerator(DeviceIdentity::signedAttributes)
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate()), certificate));
            gen.addCertificate(certificate);
            byte[] der = gen.generate(new CMSProcessableByteArray(body), false).getEncoded(ASN1Encoding.DER);
            return Base64.getEncoder().encodeToString(der);
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign: " + e, e);
        }
    }

    /** RFC 9440 {@code :base64(DER):}, as a TLS-terminating proxy forwards the client certificate. */
    public String rfc9440() {
        try {
            return ":" + Base64.getEncoder().encodeToString(certificate.getEncoded()) + ":";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // Just content-type, message-digest and signing-time (RFC 5652's usual set); Bouncy Castle's
    // default would add a CMS algorithm-protection attribute that devices do not send.
    private static AttributeTable signedAttributes(Map<?, ?> params) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new Attribute(CMSAttributes.contentType,
                new DERSet((ASN1ObjectIdentifier) params.get(CMSAttributeTableGenerator.CONTENT_TYPE))));
        v.add(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(new Date()))));
        v.add(new Attribute(CMSAttributes.messageDigest,
                new DERSet(new DEROctetString((byte[]) params.get(CMSAttributeTableGenerator.DIGEST)))));
        return new AttributeTable(v);
    }
}
