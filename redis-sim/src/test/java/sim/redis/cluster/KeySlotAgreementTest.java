package sim.redis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import sim.redis.testing.RealRedis;
import sim.redis.testing.RespClient;

/**
 * Our keyslot and a real redis-server 7.0's {@code CLUSTER KEYSLOT} (started with {@code --cluster-enabled yes})
 * agree on thousands of generated keys: brace edge cases ("{}", "{{a}}", "a{", "}{", nested and repeated tags),
 * binary bytes, and random printable keys. Skipped when redis-server is absent (fails under SIM_ORACLES=required).
 */
class KeySlotAgreementTest {
  @Test
  void keyslotAgreesWithRealClusterKeyslot() throws Exception {
    RealRedis.require();
    List<String> keys = keys();
    try (RealRedis real = RealRedis.start(Files.createTempDirectory("redis-keyslot"), "--cluster-enabled", "yes");
        RespClient c = real.client()) {
      for (String key : keys) {
        assertEquals(":" + KeySlot.of(key) + "\r\n", c.call("CLUSTER", "KEYSLOT", key), "CLUSTER KEYSLOT " + key);
      }
    }
  }

  /** Fixed brace cases, then seeded random keys over a brace-heavy alphabet and over all bytes. */
  static List<String> keys() {
    List<String> keys = new ArrayList<>(List.of("", "{}", "{", "}", "}{", "{{}}", "{{a}}", "a{", "a{}", "a{b}", "{a}b",
        "{a}{b}", "{}{b}", "foo{}{bar}", "foo{{bar}}zap", "foo{bar}{zap}", "{user1000}.following", "123456789", "a}b{c}"));
    Random r = new Random(17);
    String alphabet = "{}ab1 \u00ff\u0000\r\n";
    for (int i = 0; i < 3000; i++) {
      StringBuilder sb = new StringBuilder();
      int len = r.nextInt(14);
      for (int j = 0; j < len; j++) {
        sb.append(i % 3 == 2 ? (char) r.nextInt(256) : alphabet.charAt(r.nextInt(alphabet.length())));
      }
      keys.add(sb.toString());
    }
    return keys;
  }
}
