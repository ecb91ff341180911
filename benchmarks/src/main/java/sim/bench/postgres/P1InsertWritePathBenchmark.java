package sim.bench.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import sim.core.Simulation;
import sim.core.disk.SimDisk;
import sim.postgres.engine.Database;
import sim.postgres.engine.Result;
import sim.postgres.schedule.ScheduleRunner;
import sim.postgres.sql.Ast.Stmt;
import sim.postgres.sql.Parser;
import sim.postgres.wal.Storage;

/**
 * P1: the INSERT write path, rows per second. The model: one transaction running a prepared (parsed once)
 * 1000-row INSERT: for each row, the values evaluated and coerced, the heap tuple placed on a page, a WAL
 * record in the WAL buffers, the page dirtied in shared buffers (evicted with WAL-before-data when the pool
 * is full); then the COMMIT record and the WAL flush with synchronous_commit=on on the simulated disk. The baseline: a real PostgreSQL 15's in-server
 * rate for the same work, {@code insert into bench select g, g from generate_series(1, 1000) g} over JDBC
 * (URL from SIM_PG_URL, default the oracle cluster on 127.0.0.1:55433). Both tables have no index; both are
 * emptied every 50 (model) or 200 (server) invocations. Goal: the model at ≥ 5x the real server.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class P1InsertWritePathBenchmark {
  static final int ROWS = 1000;
  private Stmt insert;
  private Database db;
  private Storage storage;
  private int modelInvocations;
  private Connection pg;
  private Statement pgStatement;
  private int pgInvocations;

  @Setup(Level.Trial)
  public void setup() throws SQLException {
    StringBuilder b = new StringBuilder("insert into bench values ");
    for (int i = 1; i <= ROWS; i++) b.append(i > 1 ? ", (" : "(").append(i).append(", ").append(i).append(')');
    insert = Parser.parse(b.toString());
    resetModel();
    String url = System.getenv().getOrDefault("SIM_PG_URL", "jdbc:postgresql://127.0.0.1:55433/postgres?user=postgres");
    try {
      pg = DriverManager.getConnection(url);
    } catch (SQLException e) {
      throw new IllegalStateException("P1's baseline needs a PostgreSQL 15 at " + url
          + " (start one with postgres-sim/scripts/regen-goldens.sh or set SIM_PG_URL): " + e.getMessage(), e);
    }
    pgStatement = pg.createStatement();
    pgStatement.execute("drop table if exists bench");
    pgStatement.execute("create table bench (id int, v int)");
  }

  private void resetModel() {
    Simulation sim = new Simulation(1);
    SimDisk disk = new SimDisk("pg", sim.random("disk"));
    storage = Storage.open(disk, Storage.Config.defaults());
    db = new Database(ScheduleRunner.clockOf(sim), storage.state(), storage);
    db.execute("bench", "create table bench (id int, v int)");
  }

  @TearDown(Level.Trial)
  public void tearDown() throws SQLException {
    if (pg != null) {
      pgStatement.execute("drop table if exists bench");
      pg.close();
    }
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long modelInsertWritePath() {
    if (++modelInvocations % 50 == 0) resetModel(); // keeps the simulated disk small
    db.execute("bench", "begin");
    Result r = db.executeParsed("bench", insert);
    db.execute("bench", "commit");
    return ((Result.Count) r).count() + storage.wal().flushedLsn();
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public int baselinePostgres15InServerInsert() throws SQLException {
    if (++pgInvocations % 200 == 0) pgStatement.execute("truncate bench");
    return pgStatement.executeUpdate("insert into bench select g, g from generate_series(1, " + ROWS + ") g");
  }
}
