package sim.kafka.tool;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sim.kafka.record.BatchHeader;
import sim.kafka.record.ControlBatches;
import sim.kafka.record.CorruptRecordException;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;
import sim.kafka.tool.KafkaCommand.BadInput;

/**
 * {@code ./sim kafka dump-log [--print-data-log] PATH...}: Kafka's {@code kafka-dump-log.sh --files} for
 * segment files, validating each batch as recovery does. A directory is walked for its {@code .log} files in
 * order (a partition directory, a broker's log directory, an export). Exit 0 when every batch is valid, 1
 * when a segment has a corrupt or torn tail, 2 on input that is not a segment.
 */
@Command(name = "dump-log", mixinStandardHelpOptions = true,
    description = {"Print and validate Kafka segment files (.log), ours or a real broker's, like kafka-dump-log.sh --files.",
        "A directory is searched for .log files; exit 1 if a segment has a corrupt or torn tail."})
final class DumpLogCommand implements Callable<Integer> {
  @Option(names = "--print-data-log", description = "Also print every record (offset, CreateTime, key, payload, headers).")
  boolean data;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Segment files (.log) or directories holding them.")
  List<Path> paths;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    int status = 0;
    for (Path segment : segments()) status = Math.max(status, dump(segment.toString(), read(segment), data, out));
    return status;
  }

  /** Every segment the paths name, checked before anything is printed so bad input fails whole. */
  private List<Path> segments() {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        List<Path> found = logsUnder(p);
        if (found.isEmpty()) throw new BadInput(p + " is a directory with no .log segment files in it");
        out.addAll(found);
      } else if (!Files.exists(p)) {
        throw new BadInput("cannot read " + p + ": no such file or directory");
      } else {
        out.add(checkSegmentName(p));
      }
    }
    return out;
  }

  private static List<Path> logsUnder(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".log")).sorted().toList();
    } catch (IOException e) {
      throw new BadInput("cannot list " + dir + ": " + e.getMessage());
    }
  }

  private static Path checkSegmentName(Path p) {
    String name = p.getFileName().toString();
    if (name.endsWith(".log")) return p;
    String what = name.endsWith(".index") ? "an offset index"
        : name.endsWith(".timeindex") ? "a time index"
        : name.endsWith(".txnindex") ? "a transaction index"
        : name.endsWith(".snapshot") ? "a producer state snapshot" : "not a segment file";
    String log = name.contains(".") ? name.substring(0, name.indexOf('.')) + ".log" : null;
    throw new BadInput(p + " is " + what + ", not record batches: dump-log reads .log segment files"
        + (log != null && !what.startsWith("not") ? " (the segment next to it is " + p.resolveSibling(log) + ")" : ""));
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      throw new BadInput("cannot read " + p + ": no such file");
    } catch (IOException e) {
      throw new BadInput("cannot read " + p + ": " + e.getMessage());
    }
  }

  /** Prints each batch as kafka-dump-log does; returns 1 when the file has a corrupt or torn tail. */
  static int dump(String file, byte[] bytes, boolean data, PrintWriter out) {
    out.println("Dumping " + file);
    RecordBatches.Scan scan = RecordBatches.scan(bytes, bytes.length);
    for (RecordBatches.Located b : scan.batches()) {
      BatchHeader h = b.header();
      out.printf("baseOffset: %d lastOffset: %d count: %d baseSequence: %d lastSequence: %d producerId: %d producerEpoch: %d "
              + "partitionLeaderEpoch: %d isTransactional: %s isControl: %s position: %d CreateTime: %d size: %d magic: 2 "
              + "compresscodec: none crc: %d isvalid: true%n",
          h.baseOffset(), h.lastOffset(), h.recordCount(), h.baseSequence(), h.lastSequence(), h.producerId(), h.producerEpoch(),
          h.partitionLeaderEpoch(), h.isTransactional(), h.isControlBatch(), b.position(), h.maxTimestamp(), h.sizeInBytes(), h.crc());
      if (!data) continue;
      try {
        for (LogRecord r : RecordBatches.records(bytes, b.position())) {
          if (h.isControlBatch()) {
            ControlBatches.EndTransactionMarker m = ControlBatches.EndTransactionMarker.deserialize(r);
            out.printf("| offset: %d CreateTime: %d endTxnMarker: %s coordinatorEpoch: %d%n", r.offset(), r.timestamp(), m.type(), m.coordinatorEpoch());
            continue;
          }
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
}
