package sim.core.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sim.core.NodeId;
import sim.core.Simulation;

class SimDiskTest {
  private static SimDisk freshDisk(long seed) {
    Simulation sim = new Simulation(seed);
    return sim.disk(addNode(sim));
  }

  private static NodeId addNode(Simulation sim) {
    NodeId id = NodeId.of("n1");
    if (!sim.hasNode(id)) sim.addNode(id, () -> new sim.core.Node() {
      public void start(sim.core.NodeContext ctx) {}
      public void onMessage(sim.core.NodeContext ctx, NodeId from, sim.core.Message m) {}
      public void onTimer(sim.core.NodeContext ctx, sim.core.Timer t) {}
    });
    return id;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void crashKeepsFsyncedBytesAndLosesTheRest() {
    SimDisk d = freshDisk(1);
    d.append("log", bytes("durable;"));
    d.fsync("log");
    d.append("log", bytes("volatile;"));
    d.append("other", bytes("never synced"));
    assertEquals("durable;volatile;", new String(d.readAll("log"), StandardCharsets.UTF_8));
    d.crash();
    assertEquals("durable;", new String(d.readAll("log"), StandardCharsets.UTF_8));
    assertEquals(0, d.size("other"), "the name survives (dirsync), the unsynced contents do not");
  }

  @Test
  void fsyncOfOneFileDoesNotSyncAnother() {
    SimDisk d = freshDisk(1);
    d.append("a", bytes("aaa"));
    d.append("b", bytes("bbb"));
    d.fsync("a");
    d.crash();
    assertEquals(3, d.size("a"));
    assertEquals(0, d.size("b"));
  }

  @Property(tries = 50)
  void keepPrefixModeKeepsAnInOrderPrefixOfTheUnsyncedWrites(@ForAll long seed, @ForAll @IntRange(min = 1, max = 20) int writes) {
    SimDisk d = freshDisk(seed);
    d.setCrashLossMode(CrashLossMode.KEEP_PREFIX);
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < writes; i++) {
      String w = "w" + i + ";";
      all.append(w);
      d.append("log", bytes(w));
    }
    d.crash();
    String kept = new String(d.readAll("log"), StandardCharsets.UTF_8);
    assertTrue(all.toString().startsWith(kept), "kept must be a prefix: " + kept);
    assertTrue(kept.isEmpty() || kept.endsWith(";"), "whole writes only, no tearing: " + kept);
  }

  @Property(tries = 50)
  void tornModeMayCutOneWriteInTheMiddleButNeverInventsBytes(@ForAll long seed) {
    SimDisk d = freshDisk(seed);
    d.setCrashLossMode(CrashLossMode.TORN_LAST_WRITE);
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      String w = "record-" + i + ";";
      all.append(w);
      d.append("log", bytes(w));
    }
    d.crash();
    String kept = new String(d.readAll("log"), StandardCharsets.UTF_8);
    assertTrue(all.toString().startsWith(kept), "a torn write keeps a prefix of its bytes: " + kept);
  }

  @Test
  void tornModeDoesTearSometimes() {
    int torn = 0;
    for (long seed = 0; seed < 40; seed++) {
      SimDisk d = freshDisk(seed);
      d.setCrashLossMode(CrashLossMode.TORN_LAST_WRITE);
      for (int i = 0; i < 3; i++) d.append("log", bytes("record-" + i + ";"));
      d.crash();
      String kept = new String(d.readAll("log"), StandardCharsets.UTF_8);
      if (!kept.isEmpty() && !kept.endsWith(";")) torn++;
    }
    assertTrue(torn > 5, "over 40 seeds some crashes must tear the last write, got " + torn);
  }

  @Test
  void corruptionAtRestFlipsExactlyTheNamedBytesAndSurvivesCrash() {
    SimDisk d = freshDisk(1);
    byte[] original = bytes("0123456789");
    d.write("f", 0, original);
    d.fsync("f");
    d.corrupt("f", 3, 2);
    d.crash();
    byte[] now = d.readAll("f");
    for (int i = 0; i < original.length; i++) {
      if (i == 3 || i == 4) assertTrue(now[i] != original[i], "byte " + i + " must be flipped");
      else assertEquals(original[i], now[i], "byte " + i + " must be untouched");
    }
  }

  @Test
  void corruptReadsDoNotChangeTheFile() {
    SimDisk d = freshDisk(1);
    d.write("f", 0, bytes("abcdefgh"));
    d.setCorruptReadProbability(1.0);
    assertFalse(Arrays.equals(bytes("abcdefgh"), d.readAll("f")));
    d.setCorruptReadProbability(0);
    assertArrayEquals(bytes("abcdefgh"), d.readAll("f"));
  }

  @Test
  void injectedErrorsAreReportedWithErrno() {
    SimDisk d = freshDisk(1);
    d.failNextWrites(1);
    assertEquals("EIO", assertThrows(SimIOException.class, () -> d.append("f", bytes("x"))).errno());
    d.append("f", bytes("x"));
    d.failNextFsyncs(1);
    assertEquals("EIO", assertThrows(SimIOException.class, () -> d.fsync("f")).errno());
    d.fill();
    assertEquals("ENOSPC", assertThrows(SimIOException.class, () -> d.append("f", bytes("more"))).errno());
    assertEquals("ENOENT", assertThrows(SimIOException.class, () -> d.readAll("missing")).errno());
  }

  @Test
  void renameIsAtomicAndUnsyncedWritesFollowTheFile() {
    SimDisk d = freshDisk(1);
    d.write("tmp", 0, bytes("new manifest"));
    d.fsync("tmp");
    d.write("manifest", 0, bytes("old"));
    d.fsync("manifest");
    d.rename("tmp", "manifest");
    d.crash();
    assertEquals("new manifest", new String(d.readAll("manifest"), StandardCharsets.UTF_8));
    assertFalse(d.exists("tmp"));
  }

  @Test
  void exportAndImportRoundTripThroughARealDirectory(@TempDir Path dir) throws Exception {
    SimDisk d = freshDisk(1);
    d.write("appendonlydir/appendonly.aof.1.incr.aof", 0, bytes("*1\r\n$4\r\nPING\r\n"));
    d.write("dump.rdb", 0, bytes("REDIS0010"));
    d.exportTo(dir);
    assertEquals("REDIS0010", Files.readString(dir.resolve("dump.rdb")));
    SimDisk other = freshDisk(2);
    other.importFrom(dir);
    assertEquals(java.util.List.of("appendonlydir/appendonly.aof.1.incr.aof", "dump.rdb"), other.list(""));
    other.crash();
    assertEquals(9, other.size("dump.rdb"), "imported files are durable");
  }

  @Test
  void usedBytesFollowWritesTruncatesRenamesDeletesAndCrashes() {
    SimDisk d = SimDisk.standalone("n1", 1);
    d.write("a", 0, new byte[100]);
    d.write("a", 50, new byte[100]);
    d.write("b", 0, new byte[10]);
    assertEquals(160, d.totalBytes());
    d.truncate("a", 20);
    assertEquals(30, d.totalBytes());
    d.rename("b", "a");
    assertEquals(10, d.totalBytes(), "renaming over a file replaces it");
    d.delete("a");
    assertEquals(0, d.totalBytes());
    d.write("c", 0, new byte[7]);
    d.fsync("c");
    d.write("c", 7, new byte[7]);
    d.crash();
    assertEquals(7, d.totalBytes());
    d.setCapacityBytes(10);
    assertEquals("ENOSPC", assertThrows(SimIOException.class, () -> d.append("c", new byte[4])).errno());
  }
}
