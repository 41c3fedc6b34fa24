package dev.certops.estate;

import dev.certops.crypto.CertificateInfo;
import dev.certops.crypto.ChainReport;
import dev.certops.scan.ProbeException;
import dev.certops.scan.ServedChain;

/** What one probe of an endpoint brought back: a chain (read and analysed once) or why there was none. */
sealed interface Observation {
    /** The endpoint answered; its leaf and chain analysed, with a client's verdict on the chain. */
    record Served(ServedChain chain, CertificateInfo leaf, ChainReport report, ClientVerdict.Chain verdict) implements Observation { }

    /** The endpoint could not be read. */
    record Failed(ProbeException failure) implements Observation { }
}
