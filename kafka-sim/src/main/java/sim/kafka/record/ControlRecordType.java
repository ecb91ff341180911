package sim.kafka.record;

import java.nio.ByteBuffer;

/**
 * The type a control record's key carries (kafka-clients' {@code ControlRecordType}): key = version int16 (0) |
 * type int16. Only the two transaction markers are modeled; KRaft's own control records (LEADER_CHANGE 2,
 * SNAPSHOT_HEADER 3, ...) never occur in a data partition.
 */
public enum ControlRecordType {
  ABORT((short) 0),
  COMMIT((short) 1);

  public static final short CURRENT_CONTROL_RECORD_KEY_VERSION = 0;
  public static final int CURRENT_CONTROL_RECORD_KEY_SIZE = 4;

  public final short type;

  ControlRecordType(short type) {
    this.type = type;
  }

  /** The 4-byte key of a control record of this type. */
  public byte[] recordKey() {
    return ByteBuffer.allocate(CURRENT_CONTROL_RECORD_KEY_SIZE).putShort(CURRENT_CONTROL_RECORD_KEY_VERSION).putShort(type).array();
  }

  /** Kafka's {@code ControlRecordType.parse}: the type of a control record key; a newer key version is read as version 0. */
  public static ControlRecordType parse(byte[] key) {
    if (key == null || key.length < CURRENT_CONTROL_RECORD_KEY_SIZE) {
      throw new CorruptRecordException("control record key has " + (key == null ? "no" : key.length) + " bytes, needs 4");
    }
    ByteBuffer b = ByteBuffer.wrap(key);
    short version = b.getShort(0);
    if (version < 0) throw new CorruptRecordException("negative control record key version " + version);
    short type = b.getShort(2);
    for (ControlRecordType t : values()) if (t.type == type) return t;
    throw new CorruptRecordException("control record type " + type + " is not a transaction marker");
  }
}
