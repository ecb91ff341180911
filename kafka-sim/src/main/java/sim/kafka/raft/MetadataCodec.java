package sim.kafka.raft;

import sim.kafka.record.CorruptRecordException;
import sim.kafka.record.FieldReader;
import sim.kafka.record.FieldWriter;


/**
 * Kafka's binary metadata record frame, as MetadataRecordSerde writes it: unsigned varints frame version (1), api key and
 * record version, then the record in its generated-message schema. Every record here is version 0, a "flexible" version:
 * compact arrays and strings (length + 1 as an unsigned varint), uuids as two int64s, and a tagged-field section at the end
 * (count, then tag, size and bytes per field, written only when the field differs from its default).
 */
final class MetadataCodec {
  static final int FRAME_VERSION = 1;
  static final short REGISTER_BROKER = 0;
  static final short TOPIC = 2;
  static final short PARTITION = 3;
  static final short PARTITION_CHANGE = 5;
  static final short PRODUCER_IDS = 15;
  static final short BROKER_REGISTRATION_CHANGE = 17;

  private MetadataCodec() {}

  /** Writes one record: the frame (version 1, api key, record version 0), then its fields. */
  static final class Writer extends FieldWriter {
    Writer(short apiKey) {
      uvarint(FRAME_VERSION);
      uvarint(apiKey);
      uvarint(0);
    }
  }

  /** Reads one record: the frame, then its fields, with {@link FieldReader}'s bounds checks. */
  static final class Reader extends FieldReader {
    final short apiKey;
    final short version;

    Reader(byte[] bytes) {
      super(bytes, "metadata record");
      int frame = uvarint();
      if (frame != FRAME_VERSION) throw new CorruptRecordException("metadata record frame version " + frame);
      apiKey = (short) uvarint();
      version = (short) uvarint();
    }
  }
}
