package sim.zk.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link ZxidDigests} answers as the insertion-ordered map it replaced (first record per zxid wins, the
 * oldest zxids evicted beyond the capacity), over random zxids that repeat, collide and come back after
 * their eviction.
 */
class ZxidDigestsProperties {
  @Provide
  Arbitrary<List<Long>> zxids() {
    return Arbitraries.longs().between(0, 60).map(z -> z % 3 == 0 ? z << 32 | z : z).list().ofMaxSize(400);
  }

  @Property(tries = 300)
  void behavesAsABoundedInsertionOrderedMap(@ForAll("zxids") List<Long> zxids, @ForAll("capacity") int capacity) {
    ZxidDigests digests = new ZxidDigests(capacity);
    Map<Long, long[]> model = new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, long[]> eldest) {
        return size() > capacity;
      }
    };
    long n = 0;
    for (long z : zxids) {
      n++;
      long[] first = model.putIfAbsent(z, new long[] {n % 5, n * 31});
      int pos = digests.putIfAbsent(z, n % 5, n * 31);
      if (first == null) {
        assertEquals(-1, pos, "zxid " + z + " is new");
      } else {
        assertEquals(first[0], digests.sidAt(pos));
        assertEquals(first[1], digests.digestAt(pos));
      }
    }
  }

  @Provide
  Arbitrary<Integer> capacity() {
    return Arbitraries.integers().between(1, 40);
  }
}
