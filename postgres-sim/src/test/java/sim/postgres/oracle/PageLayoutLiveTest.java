package sim.postgres.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import sim.core.Simulation;
import sim.core.testing.SimTesting;
import sim.postgres.engine.Database;
import sim.postgres.engine.Result;
import sim.postgres.schedule.ScheduleRunner;
import sim.postgres.wal.PageCodec;

/**
 * The heap page the simulator builds is PostgreSQL's page, byte for byte: the same statements run on a
 * live PostgreSQL 15 and on the model, then block 0 from {@code get_raw_page} (pageinspect) is compared
 * with the model's encoded page. Only what cannot match is normalized: pd_lsn, pd_checksum (the oracle
 * cluster runs without data checksums), and xids, which are replaced by their rank on the page.
 */
class PageLayoutLiveTest {
  static final List<String> STATEMENTS = List.of(
      "create table pi_test (id int primary key, value int, name text, ok boolean, big bigint)",
      "insert into pi_test values (1, 10, 'a', true, 1), (2, 20, null, false, null), (3, 30, 'ccc', null, 3)",
      "insert into pi_test values (4, 40, '" + "x".repeat(200) + "', true, 4000000000)",
      "update pi_test set value = 11 where id = 1",
      "update pi_test set id = 5 where id = 2",
      "delete from pi_test where id = 3",
      "begin",
      "select * from pi_test where id = 4 for update",
      "commit",
      "insert into pi_test values (6, 60, 'six', false, 6)",
      "select * from pi_test");

  /** HOT updates of one row until the page is nearly full: the next reads prune the chain (heap_page_prune_opt). */
  static final List<String> PRUNE_ON_READ = pruneOnRead();

  /** Non-HOT updates and deletes, then VACUUM: LP_DEAD stubs, index entries removed, line pointers unused and truncated. */
  static final List<String> VACUUM_AFTER_PRUNE = List.of(
      "create table pi_test (id int primary key, value int, name text) with (autovacuum_enabled = off)",
      "insert into pi_test select g, g * 10, '" + "v".repeat(100) + "' from generate_series(1, 20) g",
      "update pi_test set id = id + 100 where id <= 5",
      "update pi_test set value = value + 1 where id between 6 and 9",
      "update pi_test set value = value + 1 where id between 6 and 9",
      "delete from pi_test where id >= 18",
      "vacuum pi_test",
      "insert into pi_test values (21, 210, 'after vacuum')",
      "select * from pi_test");

  private static List<String> pruneOnRead() {
    List<String> s = new ArrayList<>();
    s.add("create table pi_test (id int primary key, value int, name text) with (autovacuum_enabled = off)");
    s.add("insert into pi_test select g, g, '" + "p".repeat(200) + "' from generate_series(1, 30) g");
    for (int i = 0; i < 12; i++) s.add("update pi_test set value = value + 1 where id = " + (1 + i % 3));
    s.add("select * from pi_test");
    return s;
  }

  @Test
  void block0MatchesGetRawPage() throws Exception {
    compareBlock0(STATEMENTS);
  }

  @Test
  void pruningOnReadLeavesThePageAsPostgres() throws Exception {
    compareBlock0(PRUNE_ON_READ);
  }

  @Test
  void vacuumLeavesThePageAsPostgres() throws Exception {
    compareBlock0(VACUUM_AFTER_PRUNE);
  }

  private static void compareBlock0(List<String> statements) throws Exception {
    String url = System.getenv("SIM_PG_URL");
    String version = url == null ? null : LivePostgresTest.serverVersion(url);
    SimTesting.requireOracle("PostgreSQL 15 with pageinspect (SIM_PG_URL)", version != null && version.startsWith("15"),
        "export SIM_PG_URL=jdbc:postgresql://127.0.0.1:55433/postgres?user=postgres");
    byte[] real;
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.execute("create extension if not exists pageinspect");
      st.execute("drop table if exists pi_test");
      for (String sql : statements) st.execute(sql);
      try (ResultSet r = st.executeQuery("select get_raw_page('pi_test', 0)")) {
        r.next();
        real = r.getBytes(1);
      }
      st.execute("drop table pi_test");
    }
    Database db = new Database(ScheduleRunner.clockOf(new Simulation(1)));
    for (String sql : statements) {
      Result r = db.execute("s", sql);
      if (r instanceof Result.Error e) throw new AssertionError(sql + ": " + e.message());
    }
    byte[] model = PageCodec.encodePage(db.table("pi_test"), db.table("pi_test").pages.get(0));
    assertEquals(describe(real), describe(model));
  }

  /** The page as heap_page_items would list it, xids replaced by their rank. */
  static String describe(byte[] page) {
    ByteBuffer b = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
    int lower = Short.toUnsignedInt(b.getShort(12));
    int upper = Short.toUnsignedInt(b.getShort(14));
    int n = (lower - 24) / 4;
    TreeSet<Long> xids = new TreeSet<>();
    List<int[]> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int lp = b.getInt(24 + 4 * i);
      int[] it = {lp & 0x7fff, (lp >>> 15) & 3, (lp >>> 17) & 0x7fff};
      items.add(it);
      if (it[1] == 1) {
        xids.add(Integer.toUnsignedLong(b.getInt(it[0])));
        xids.add(Integer.toUnsignedLong(b.getInt(it[0] + 4)));
      }
    }
    xids.add(Integer.toUnsignedLong(b.getInt(20)));
    xids.remove(0L);
    TreeMap<Long, Integer> rank = new TreeMap<>();
    for (long x : xids) rank.put(x, rank.size() + 1);
    StringBuilder out = new StringBuilder();
    out.append("lower ").append(lower).append(" upper ").append(upper).append(" special ").append(Short.toUnsignedInt(b.getShort(16)))
        .append(" version ").append(Short.toUnsignedInt(b.getShort(18))).append(" flags ").append(b.getShort(10))
        .append(" prune_xid #").append(rank.getOrDefault(Integer.toUnsignedLong(b.getInt(20)), 0)).append('\n');
    for (int i = 0; i < items.size(); i++) {
      int[] it = items.get(i);
      out.append("lp ").append(i + 1).append(" off ").append(it[0]).append(" flags ").append(it[1]).append(" len ").append(it[2]);
      if (it[1] == 1) {
        int o = it[0];
        out.append(" xmin #").append(rank.getOrDefault(Integer.toUnsignedLong(b.getInt(o)), 0))
            .append(" xmax #").append(rank.getOrDefault(Integer.toUnsignedLong(b.getInt(o + 4)), 0))
            .append(" cid ").append(b.getInt(o + 8))
            .append(" ctid (").append((Short.toUnsignedInt(b.getShort(o + 12)) << 16) | Short.toUnsignedInt(b.getShort(o + 14)))
            .append(',').append(Short.toUnsignedInt(b.getShort(o + 16))).append(')')
            .append(" infomask2 ").append(Integer.toHexString(Short.toUnsignedInt(b.getShort(o + 18))))
            .append(" infomask ").append(Integer.toHexString(Short.toUnsignedInt(b.getShort(o + 20))))
            .append(" rest ").append(HexFormat.of().formatHex(page, o + 22, o + it[2]));
      }
      out.append('\n');
    }
    return out.toString();
  }
}
