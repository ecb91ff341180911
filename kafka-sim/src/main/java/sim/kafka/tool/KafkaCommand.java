package sim.kafka.tool;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import sim.core.NodeId;
import sim.core.cli.CommandPlugin;
import sim.core.scenario.RunOptions;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRunner;
import sim.kafka.record.BatchHeader;
import sim.kafka.record.CorruptRecordException;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;
import sim.kafka.scenario.KafkaCluster;
import sim.kafka.scenario.KafkaScenarios;

/**
 * {@code ./sim kafka dump-log FILE...}: Kafka's {@code kafka-dump-log.sh --files} for segment files, ours or a
 * real broker's, validating each batch as recovery does. {@code ./sim kafka export SCENARIO DIR}: runs a
 * scenario and writes every broker's disk to DIR/&lt;broker&gt;/ for real tools.
 */
public final class KafkaCommand implements CommandPlugin {
  static final String USAGE = """
      usage: ./sim kafka dump-log [--print-data-log] FILE...
             ./sim kafka export SCENARIO DIR [--seed N]""";

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public String summary() {
    return "dump-log: print and validate Kafka segment files; export: run a kafka scenario and write each broker's segments to a directory";
  }

  @Override
  public int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println(USAGE);
      return 2;
    }
    return switch (args[0]) {
      case "dump-log" -> dumpLog(List.of(args).subList(1, args.length), out, err);
      case "export" -> export(List.of(args).subList(1, args.length), out, err);
      default -> {
        err.println("kafka: unknown subcommand '" + args[0] + "'\n" + USAGE);
        yield 2;
      }
    };
  }

  private int dumpLog(List<String> args, PrintStream out, PrintStream err) {
    boolean data = args.contains("--print-data-log");
    List<String> files = args.stream().filter(a -> !a.startsWith("--")).toList();
    if (files.isEmpty()) {
      err.println("kafka dump-log: no segment file given\n" + USAGE);
      return 2;
    }
    int status = 0;
    for (String f : files) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(Path.of(f));
      } catch (IOException e) {
        err.println("kafka dump-log: cannot read " + f + ": " + e.getMessage());
        return 2;
      }
      status = Math.max(status, dump(f, bytes, data, out));
    }
    return status;
  }

  /** Prints each batch as kafka-dump-log does; returns 1 when the file has a corrupt or torn tail. */
  static int dump(String file, byte[] bytes, boolean data, PrintStream out) {
    out.println("Dumping " + file);
    RecordBatches.Scan scan = RecordBatches.scan(bytes, bytes.length);
    for (RecordBatches.Located b : scan.batches()) {
      BatchHeader h = b.header();
      out.printf("baseOffset: %d lastOffset: %d count: %d baseSequence: %d lastSequence: %d producerId: %d producerEpoch: %d "
              + "partitionLeaderEpoch: %d isTransactional: false isControl: false position: %d CreateTime: %d size: %d magic: 2 "
              + "compresscodec: none crc: %d isvalid: true%n",
          h.baseOffset(), h.lastOffset(), h.recordCount(), h.baseSequence(), h.lastSequence(), h.producerId(), h.producerEpoch(),
          h.partitionLeaderEpoch(), b.position(), h.maxTimestamp(), h.sizeInBytes(), h.crc());
      if (!data) continue;
      try {
        for (LogRecord r : RecordBatches.records(bytes, b.position())) {
          out.printf("| offset: %d CreateTime: %d key: %s payload: %s%s%n", r.offset(), r.timestamp(), r.keyText(), r.valueText(),
              r.headers().isEmpty() ? "" : " headers: " + r.headers());
        }
      } catch (CorruptRecordException e) {
        out.println("| corrupt records: " + e.getMessage());
        return 1;
      }
    }
    if (scan.stopReason() == null) return 0;
    out.println("Invalid data from position " + scan.validBytes() + " (" + (bytes.length - scan.validBytes()) + " bytes): "
        + scan.stopReason() + "; recovery truncates the segment here");
    return 1;
  }

  private int export(List<String> args, PrintStream out, PrintStream err) {
    List<String> plain = new java.util.ArrayList<>();
    long seed = 1;
    for (int i = 0; i < args.size(); i++) {
      if (!args.get(i).equals("--seed")) {
        plain.add(args.get(i));
        continue;
      }
      if (++i >= args.size()) {
        err.println("kafka export: --seed needs a number\n" + USAGE);
        return 2;
      }
      try {
        seed = Long.parseLong(args.get(i));
      } catch (NumberFormatException e) {
        err.println("kafka export: --seed needs a number, got '" + args.get(i) + "'");
        return 2;
      }
    }
    if (plain.size() != 2) {
      err.println("kafka export: expected a scenario and a directory\n" + USAGE);
      return 2;
    }
    String name = plain.get(0);
    Scenario s = new KafkaScenarios().scenarios().stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
    if (s == null) {
      err.println("kafka export: no kafka scenario named '" + name + "' (see ./sim list)");
      return 2;
    }
    Path dir = Path.of(plain.get(1));
    ScenarioRunner.run(s, RunOptions.seed(seed), sim -> {
      for (NodeId id : sim.serverIds()) {
        if (id.equals(KafkaCluster.CONTROLLER)) continue;
        sim.disk(id).exportTo(dir.resolve(id.name()));
        out.println("wrote " + dir.resolve(id.name()) + " (" + sim.disk(id).list("").size() + " files)");
      }
    });
    return 0;
  }
}
