package dev.dripline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README's package map names every package of the tree's main code, and nothing else. */
class PackageMapTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> MODULES = List.of("shared", "functions/api", "functions/http", "functions/webhooks",
            "functions/steps", "functions/sender", "functions/queue", "local", "engines", "bench");
    private static final Pattern LINE = Pattern.compile("^(dev\\.dripline(?:\\.[a-z0-9]+)*)\\s{2,}\\S");

    @Test
    void theReadmePackageMapMatchesTheTree() throws IOException {
        assertThat(mapped()).isEqualTo(inTree());
    }

    private static Set<String> inTree() throws IOException {
        Set<String> packages = new TreeSet<>();
        for (String module : MODULES) {
            Path sources = ROOT.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(sources)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(sources)) {
                files.filter(f -> f.toString().endsWith(".java") && !f.getFileName().toString().equals("package-info.java"))
                        .map(f -> sources.relativize(f.getParent()).toString().replace('/', '.').replace('\\', '.'))
                        .forEach(packages::add);
            }
        }
        return packages;
    }

    private static Set<String> mapped() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
        int start = lines.indexOf("### Package map");
        assertThat(start).as("README.md has a '### Package map' section").isNotNegative();
        Set<String> packages = new TreeSet<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("#")) {
                break;
            }
            Matcher m = LINE.matcher(line);
            if (m.find()) {
                packages.add(m.group(1));
            }
        }
        return packages;
    }
}
