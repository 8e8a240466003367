package dev.dripline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dripline.Dripline;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.signup.SignupForm;
import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A sign-up page as a person uses it, in headless Chromium with JavaScript off (the page has
 * none): labels find their inputs, a wrong number comes back with the error tied to its field and
 * what was typed kept, the right one makes a pending contact. Skipped where no Chromium and
 * chromedriver are installed (.ci/run installs them).
 */
class SignupPageInBrowserTest {

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
    void aPersonFillsTheFormFixesTheNumberAndSignsUp() {
        Dripline core = runtime.dripline();
        SignupForm form = core.signupForms().create(Map.of("name", "Store news", "consentText",
                "Yes, text me store news (up to 4/month). Msg&data rates may apply. Reply STOP to cancel.",
                "fields", List.of(Map.of("name", "firstName", "required", true), "zip")));

        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=900,1000")
                .setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER).usingAnyFreePort().build();
        WebDriver browser = new ChromeDriver(service, options);
        try {
            browser.get(runtime.url() + "/join/" + form.id());
            assertThat(browser.getTitle()).isEqualTo("Store news");
            // Every input is found through its label, as a screen reader announces it.
            for (WebElement label : browser.findElements(By.tagName("label"))) {
                assertThat(browser.findElements(By.id(label.getAttribute("for")))).as("input for label '%s'", label.getText()).hasSize(1);
            }
            input(browser, "Mobile phone number").sendKeys("555 01");
            input(browser, "First name").sendKeys("Lin");
            input(browser, "ZIP code (optional)").sendKeys("94107");
            browser.findElement(By.id("f-consent")).click();
            browser.findElement(By.cssSelector("button[type=submit]")).click();

            await(browser, ExpectedConditions.presenceOfElementLocated(By.cssSelector("[role=alert]")));
            assertThat(browser.getTitle()).startsWith("Error: ");
            WebElement phone = browser.findElement(By.id("f-phone"));
            assertThat(phone.getAttribute("aria-invalid")).isEqualTo("true");
            assertThat(phone.getAttribute("aria-describedby")).contains("f-phone-error");
            assertThat(browser.findElement(By.id("f-phone-error")).getText()).startsWith("Enter a mobile number we can text");
            assertThat(browser.findElement(By.cssSelector("[role=alert] a[href='#f-phone']")).getText()).startsWith("Enter a mobile number");
            assertThat(input(browser, "First name").getAttribute("value")).as("what was typed is kept").isEqualTo("Lin");

            phone.clear();
            phone.sendKeys("(415) 555-0199");
            WebElement consent = browser.findElement(By.id("f-consent"));
            if (!consent.isSelected()) {
                consent.click();
            }
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            await(browser, ExpectedConditions.titleContains("Check your phone"));
            assertThat(browser.findElement(By.cssSelector("[role=status]")).getText()).contains("reply Y to confirm");
        } finally {
            browser.quit();
        }
        assertThat(core.contacts().byPhone("+14155550199").orElseThrow().consent()).isEqualTo(ConsentStatus.PENDING);
    }

    private static void await(WebDriver browser, org.openqa.selenium.support.ui.ExpectedCondition<?> condition) {
        try {
            new WebDriverWait(browser, Duration.ofSeconds(20)).until(condition);
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("at " + browser.getCurrentUrl() + ": " + browser.getPageSource(), e);
        }
    }

    private static WebElement input(WebDriver browser, String label) {
        WebElement l = browser.findElements(By.tagName("label")).stream().filter(e -> e.getText().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no label '" + label + "'"));
        return browser.findElement(By.id(l.getAttribute("for")));
    }
}
