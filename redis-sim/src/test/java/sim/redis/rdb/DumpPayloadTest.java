package sim.redis.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import sim.redis.keyspace.Limits;
import sim.redis.keyspace.RList;
import sim.redis.keyspace.RString;
import sim.redis.keyspace.RedisObject;

/** DUMP payloads (createDumpPayload / verifyDumpPayload / RESTORE's rdbLoadObject): a round trip and a damaged footer. */
class DumpPayloadTest {
  @Test
  void aDumpedValueRestoresEqualAndADamagedPayloadIsRefused() {
    RList list = new RList();
    for (String v : List.of("a", "12", "a longer element that LZF may compress compress compress")) list.pushTail(v);
    for (RedisObject o : List.<RedisObject>of(new RString("v"), new RString("12345"), new RString("x".repeat(100)), list)) {
      byte[] payload = RdbWriter.dump(o);
      assertTrue(RdbReader.verifyDumpPayload(payload));
      RedisObject back = RdbReader.restore(payload, "k", Limits.DEFAULTS);
      assertEquals(RdbWriter.dump(o).length, RdbWriter.dump(back).length);
      assertEquals(new String(payload, java.nio.charset.StandardCharsets.ISO_8859_1),
          new String(RdbWriter.dump(back), java.nio.charset.StandardCharsets.ISO_8859_1));
      byte[] damaged = payload.clone();
      damaged[0] ^= 1;
      assertFalse(RdbReader.verifyDumpPayload(damaged));
    }
  }
}
