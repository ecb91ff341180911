package sim.example.register;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import sim.core.disk.SimDisk;

/**
 * An append-only file of writes. Each record is {@code length(4) crc32c(4) id(8) value(utf-8)}; recovery
 * reads records until the first torn or corrupt one and truncates the file there, like every real log.
 */
final class WriteLog {
  record Entry(long id, String value) {}

  private final SimDisk disk;
  private final String file;

  WriteLog(SimDisk disk, String file) {
    this.disk = disk;
    this.file = file;
    disk.create(file);
  }

  String file() {
    return file;
  }

  void append(long id, String value) {
    byte[] v = value.getBytes(StandardCharsets.UTF_8);
    ByteBuffer body = ByteBuffer.allocate(8 + v.length).putLong(id).put(v);
    CRC32C crc = new CRC32C();
    crc.update(body.array());
    ByteBuffer rec = ByteBuffer.allocate(8 + body.capacity());
    rec.putInt(body.capacity()).putInt((int) crc.getValue()).put(body.array());
    disk.append(file, rec.array());
  }

  /** The valid prefix of the log; anything after the first bad record is cut off and reported. */
  List<Entry> recover(StringBuilder report) {
    byte[] all = disk.readAll(file);
    ByteBuffer in = ByteBuffer.wrap(all);
    List<Entry> entries = new ArrayList<>();
    while (in.remaining() >= 8) {
      int at = in.position();
      int length = in.getInt();
      int crc = in.getInt();
      if (length < 8 || length > in.remaining()) {
        in.position(at);
        break;
      }
      byte[] body = new byte[length];
      in.get(body);
      CRC32C check = new CRC32C();
      check.update(body);
      if ((int) check.getValue() != crc) {
        in.position(at);
        break;
      }
      ByteBuffer b = ByteBuffer.wrap(body);
      long id = b.getLong();
      entries.add(new Entry(id, new String(body, 8, length - 8, StandardCharsets.UTF_8)));
    }
    if (in.position() < all.length) {
      report.append("truncated ").append(all.length - in.position()).append(" bytes of torn or corrupt tail at offset ")
          .append(in.position());
      disk.truncate(file, in.position());
      disk.fsync(file);
    }
    return entries;
  }
}
