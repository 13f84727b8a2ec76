package org.umgw.export;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.cli.CliRunner;
import org.umgw.model.UmgwException;

/**
 * The export keeps what an operator set on its file ({@code root:kamailio 0640}) and works on a
 * file system without POSIX attributes. Owners are changed with numeric ids, so the test needs
 * root, as CI has.
 */
class ExportFileModeTest {
  private static ExportFixture fixture;
  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    fixture = new ExportFixture();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static int id(Path p, String attribute) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:" + attribute, LinkOption.NOFOLLOW_LINKS);
  }

  @Test
  void existingFileKeepsModeOwnerAndGroup() throws IOException {
    assertThat(System.getProperty("user.name")).as("changing owners needs root").isEqualTo("root");
    Path file = Files.writeString(tmp.resolve("kamailio.list"), "old\n");
    Files.setAttribute(file, "unix:uid", 65534);
    Files.setAttribute(file, "unix:gid", 4242);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

    CliRunner.Result r =
        fixture.run(
            "trust-list",
            "export",
            "--format",
            "kamailio",
            "--out",
            file.toString(),
            "--allow-shrink");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(Files.readString(file)).isNotEqualTo("old\n").contains("127.0.0.3");
    assertThat(mode(file)).isEqualTo("rw-r-----");
    assertThat(id(file, "uid")).isEqualTo(65534);
    assertThat(id(file, "gid")).isEqualTo(4242);
  }

  @Test
  void newFileIs0644OrTheModeAskedFor() throws IOException {
    Path plain = tmp.resolve("plain.txt");
    Path secret = tmp.resolve("secret.txt");
    assertThat(fixture.run("trust-list", "export", "--out", plain.toString()).code()).isZero();
    assertThat(
            fixture
                .run("trust-list", "export", "--out", secret.toString(), "--mode", "0640")
                .code())
        .isZero();
    assertThat(mode(plain)).isEqualTo("rw-r--r--");
    assertThat(mode(secret)).isEqualTo("rw-r-----");
  }

  @Test
  void modeAskedForReplacesTheOldModeButKeepsTheOwner() throws IOException {
    Path file = Files.writeString(tmp.resolve("acl.xml"), "old\n");
    Files.setAttribute(file, "unix:gid", 4242);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
    AtomicFileWriter.write(file, "new\n".getBytes(UTF_8), AtomicFileWriter.parseMode("600"));
    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(id(file, "gid")).isEqualTo(4242);
  }

  @Test
  void fileSystemWithoutPosixAttributes() throws IOException {
    Configuration fat = Configuration.unix().toBuilder().setAttributeViews("basic").build();
    try (FileSystem fs = Jimfs.newFileSystem(fat)) {
      Path dir = Files.createDirectories(fs.getPath("/exports"));
      Path file = dir.resolve("trusted.txt");
      AtomicFileWriter.write(file, "192.0.2.1\n".getBytes(UTF_8));
      AtomicFileWriter.write(file, "192.0.2.2\n".getBytes(UTF_8));
      assertThat(Files.readString(file)).isEqualTo("192.0.2.2\n");
      assertThat(Files.list(dir)).containsExactly(file); // no temporary file left behind

      assertThatThrownBy(
              () -> AtomicFileWriter.write(file, new byte[0], AtomicFileWriter.parseMode("0640")))
          .isInstanceOf(UmgwException.class)
          .hasMessage(
              "cannot give /exports/trusted.txt the mode rw-r-----: its file system has no POSIX"
                  + " permissions");
      assertThat(Files.readString(file)).isEqualTo("192.0.2.2\n");
    }
  }

  @Test
  void badModesAreRefusedWithWhatAModeIs() {
    for (String bad : new String[] {"0755", "rw-r--r--", "4644", "064", "0044"}) {
      assertThatThrownBy(() -> AtomicFileWriter.parseMode(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(PosixFilePermissions.toString(AtomicFileWriter.parseMode("0440")))
        .isEqualTo("r--r-----");
  }
}
