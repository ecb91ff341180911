package sim.kafka.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import sim.kafka.log.ProducerStateManager.VerificationGuard;
import sim.kafka.record.BatchHeader;
import sim.kafka.record.ControlBatches;
import sim.kafka.record.ControlRecordType;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;

/**
 * KIP-890's verification state on the partition (Kafka's {@code VerificationStateEntry}/{@code VerificationGuard}, as in
 * its {@code VerificationGuardTest} and {@code ProducerStateManagerTest}): a verification answered after the
 * producer's marker — the ABA case of {@code UnifiedLog.analyzeAndValidateProducerState} — can no longer let the append in.
 */
class VerificationGuardTest {
  private static final long PID = 4000;
  private static final short EPOCH = 3;

  private static BatchHeader appendData(ProducerStateManager psm, long offset, int seq) {
    byte[] b = ControlBatches.transactional(0, 0, new RecordBatches.ProducerFields(PID, EPOCH, seq),
        List.of(new LogRecord(0, 1L, null, "v".getBytes(), List.of())));
    RecordBatches.stamp(b, 0, offset, 0);
    BatchHeader h = RecordBatches.header(b, 0);
    psm.append(b, 0, h, new TransactionIndex());
    return h;
  }

  private static void appendMarker(ProducerStateManager psm, long offset, ControlRecordType type) {
    byte[] b = ControlBatches.endTransactionMarker(offset, 1L, 0, PID, EPOCH, new ControlBatches.EndTransactionMarker(type, 0));
    psm.append(b, 0, RecordBatches.header(b, 0), new TransactionIndex());
  }

  private static BatchHeader unstampedData(int seq) {
    byte[] b = ControlBatches.transactional(0, 0, new RecordBatches.ProducerFields(PID, EPOCH, seq),
        List.of(new LogRecord(0, 1L, null, "late".getBytes(), List.of())));
    return RecordBatches.header(b, 0);
  }

  @Test
  void aGuardVerifiesOnlyWhileItIsTheProducersEntry() {
    ProducerStateManager psm = new ProducerStateManager();
    VerificationGuard g = psm.maybeStartTransactionVerification(PID, 0, EPOCH, 10);
    assertNotNull(g);
    // A second request before the answer gets the same entry's guard (computeIfAbsent).
    assertEquals(g, psm.maybeStartTransactionVerification(PID, 0, EPOCH, 11));
    assertFalse(psm.missingRequiredVerification(unstampedData(0), g));
    assertTrue(psm.missingRequiredVerification(unstampedData(0), null), "no guard: refused");
    assertTrue(psm.missingRequiredVerification(unstampedData(0), VerificationGuard.SENTINEL), "the sentinel never verifies");
  }

  @Test
  void theFirstAppendOpensTheTransactionAndUsesTheGuardUp() {
    ProducerStateManager psm = new ProducerStateManager();
    VerificationGuard g = psm.maybeStartTransactionVerification(PID, 0, EPOCH, 10);
    appendData(psm, 0, 0);
    assertTrue(psm.hasOngoingTransaction(PID));
    assertEquals(VerificationGuard.SENTINEL, psm.verificationGuard(PID));
    assertNull(psm.maybeStartTransactionVerification(PID, 1, EPOCH, 12), "an open transaction needs no verification");
    assertFalse(psm.missingRequiredVerification(unstampedData(1), null), "later batches of the open transaction go in");
    assertNotNull(g);
  }

  @Test
  void aVerificationAnsweredAfterTheMarkerIsStale() {
    ProducerStateManager psm = new ProducerStateManager();
    appendData(psm, 0, 0);
    // The transaction is open; a verification of the next one starts only after the marker.
    appendMarker(psm, 1, ControlRecordType.ABORT);
    VerificationGuard first = psm.maybeStartTransactionVerification(PID, 1, EPOCH, 20);
    // The coordinator answered "in the transaction" — but before the append, the producer's marker arrives
    // (the transaction it verified against ended).
    appendMarker(psm, 2, ControlRecordType.ABORT);
    assertTrue(psm.missingRequiredVerification(unstampedData(1), first), "a stale verification lets nothing in");
    // A retry starts a new verification with a new guard; the old one still does not verify.
    VerificationGuard second = psm.maybeStartTransactionVerification(PID, 1, EPOCH, 30);
    assertNotEquals(first, second);
    assertTrue(psm.missingRequiredVerification(unstampedData(1), first));
    assertFalse(psm.missingRequiredVerification(unstampedData(1), second));
  }
}
