package sim.postgres.oracle;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random concurrency schedules over a three-row table: two or three sessions mixing reads, row locks,
 * updates, inserts and deletes at random isolation levels, with savepoints rolled back to or released,
 * ending with every session committed and a
 * final read. Used for differential runs against a real PostgreSQL.
 */
final class RandomSchedules {
  private static final String[] LEVELS = {"read committed", "repeatable read", "serializable"};

  private RandomSchedules() {}

  static String generate(long seed, int steps) {
    Random rnd = new Random(seed); // test-side generator only; the simulator never sees it
    int sessions = 2 + rnd.nextInt(2);
    boolean[] inTx = new boolean[sessions];
    List<String> lines = new ArrayList<>();
    lines.add("# random schedule, seed " + seed);
    lines.add("setup: create table test (id int primary key, value int)");
    lines.add("setup: insert into test (id, value) values (1, 10), (2, 20), (3, 30)");
    for (int i = 0; i < steps; i++) {
      int s = rnd.nextInt(sessions);
      String who = "T" + (s + 1);
      if (!inTx[s] && rnd.nextInt(4) > 0) {
        lines.add(who + ": begin isolation level " + LEVELS[rnd.nextInt(LEVELS.length)]);
        inTx[s] = true;
        continue;
      }
      if (inTx[s] && rnd.nextInt(7) == 0) { // savepoints: a subtransaction, undone or merged (or a 3B001)
        String[] verbs = {"savepoint", "rollback to", "release"};
        lines.add(who + ": " + verbs[rnd.nextInt(verbs.length)] + " s" + rnd.nextInt(2));
        continue;
      }
      if (inTx[s] && rnd.nextInt(6) == 0) {
        lines.add(who + ": " + (rnd.nextInt(3) == 0 ? "rollback" : "commit"));
        inTx[s] = false;
        continue;
      }
      lines.add(who + ": " + statement(rnd));
    }
    for (int s = 0; s < sessions; s++) if (inTx[s]) lines.add("T" + (s + 1) + ": commit");
    lines.add("T9: select * from test order by id");
    return String.join("\n", lines) + "\n";
  }

  private static final String[] LOCKS = {"update", "no key update", "share", "key share"};

  private static String statement(Random rnd) {
    int id = 1 + rnd.nextInt(4);
    return switch (rnd.nextInt(13)) {
      case 0 -> "select * from test order by id";
      case 1 -> "select * from test where value > " + (10 * rnd.nextInt(4));
      case 2 -> "select id, value from test where id = " + id + " for " + LOCKS[rnd.nextInt(LOCKS.length)];
      case 3, 4 -> "update test set value = value + " + (1 + rnd.nextInt(5)) + " where id = " + id;
      case 5 -> "update test set value = value * 2 where value % " + (2 + rnd.nextInt(3)) + " = 0";
      case 6 -> "insert into test (id, value) values (" + (3 + rnd.nextInt(3)) + ", " + rnd.nextInt(50) + ")";
      case 7 -> "delete from test where id = " + id;
      case 8 -> "select * from test where id in (" + id + ", " + (1 + rnd.nextInt(5)) + ")";
      case 9 -> "update test set id = id + 10 where id = " + id;
      case 10 -> "delete from test where value > " + (20 + 10 * rnd.nextInt(4));
      case 11 -> "select * from test where id = " + id + " or value < 15 order by value desc, id";
      default -> "select count(*), sum(value), min(id), max(value) from test";
    };
  }
}
