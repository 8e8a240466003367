package dev.dripline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dripline.Dripline;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.ContactInput;
import dev.dripline.messaging.Category;
import dev.dripline.messaging.Direction;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.messaging.Origin;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard as a person sees it: the local runtime sends campaign messages through the
 * simulated carrier, headless Chromium opens {@code /dashboard#key=...}, and the numbers on the
 * page are the counters'. Skipped where no Chromium and chromedriver are installed. Leaves a
 * screenshot in {@code local/target/dashboard.png} (the README's comes from docs/tour.sh, after the tour).
 */
class DashboardInBrowserTest {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File DRIVER = new File("/usr/bin/chromedriver");

    private static LocalRuntime runtime;

    @BeforeAll
    static void start() {
        assumeTrue(CHROMIUM.canExecute() && DRIVER.canExecute(), "no /usr/bin/chromium and /usr/bin/chromedriver");
        runtime = LocalRuntime.start(Map.of("DRIPLINE_PORT", "0", "DRIPLINE_SIMULATOR_LATENCY_MS", "20"));
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void thePageShowsTheCountersOfWhatWasSent() throws Exception {
        Dripline core = runtime.dripline();
        String welcome = core.campaigns().create(dev.dripline.json.Json.mapper().readTree(
                "{\"name\": \"Welcome\", \"steps\": [{\"id\": \"hello\", \"send\": {\"body\": \"Hello\"}}]}")).id();
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sent.add(send(core, "+1415555" + (1600 + i), Origin.step(welcome, 1, i < 4 ? "hello" : "reminder", i % 2 == 0 ? "A" : "B",
                    "enr_" + i)));
        }
        sent.add(send(core, "+14155551610", Origin.broadcast("brd_sale")));
        core.tally().add(Origin.step(welcome, 1, null, "A", null), "enrolled", 3);
        core.tally().add(Origin.step(welcome, 1, null, "B", null), "enrolled", 2);
        core.tally().add(Origin.step(welcome, 1, null, "B", null), "converted", 1);
        core.tally().add(Origin.broadcast("brd_sale"), "queued", 1);
        awaitDelivered(core, sent);

        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1300");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER).usingAnyFreePort().build();
        WebDriver browser = new ChromeDriver(service, options);
        try {
            browser.get(runtime.url() + "/dashboard#key=" + runtime.apiKey());
            new WebDriverWait(browser, Duration.ofSeconds(20))
                    .until(b -> "true".equals(b.findElement(By.tagName("body")).getAttribute("data-loaded")));

            assertThat(browser.findElement(By.id("total-sent")).getText()).isEqualTo("7");
            assertThat(browser.findElement(By.id("total-delivered")).getText()).isEqualTo("7");
            assertThat(browser.findElement(By.id("rate-delivery")).getText()).isEqualTo("100.0%");
            // The key left the address bar (it stays in sessionStorage).
            assertThat(browser.getCurrentUrl()).doesNotContain("key=");
            List<String> campaign = cells(browser, "#campaigns tr[data-id='" + welcome + "'] td");
            assertThat(campaign.subList(0, 4)).containsExactly("Welcome", "5", "6", "6");
            assertThat(cells(browser, "#variants tr[data-id='" + welcome + "/B'] td")).contains("conversion", "1 / 2", "50.0%");
            assertThat(cells(browser, "#broadcasts tr[data-id='brd_sale'] td").subList(0, 4)).containsExactly("brd_sale", "1", "1", "1");
            Path png = Path.of("target", "dashboard.png");
            Files.write(png, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.quit();
        }
    }

    private static List<String> cells(WebDriver browser, String css) {
        return browser.findElements(By.cssSelector(css)).stream().map(e -> e.getText()).toList();
    }

    private static Message send(Dripline core, String phone, Origin origin) {
        Contact to = core.contacts().upsert(new ContactInput(phone, null, null, null, null, null, null, null, null), "test").contact();
        Instant now = core.clock().instant();
        Message m = new Message("msg_" + Long.toHexString(System.nanoTime()), Direction.OUTBOUND, to.id(), to.phone(), null,
                "Welcome to Dripline Demo", Category.TRANSACTIONAL, MessageStatus.ACCEPTED,
                List.of(new Message.StatusChange(MessageStatus.ACCEPTED, now, null)), null, null, "GSM-7", 1, null, null, now, null, origin);
        core.messageStore().create(m);
        core.messages().queueIfWaiting(m.id());
        return m;
    }

    private static void awaitDelivered(Dripline core, List<Message> messages) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            if (messages.stream().allMatch(m -> core.messageStore().get(m.id()).map(Message::status).orElseThrow() == MessageStatus.DELIVERED)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not all delivered within 30 s");
    }
}
