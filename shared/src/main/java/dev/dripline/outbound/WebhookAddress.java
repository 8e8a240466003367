package dev.dripline.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where integrator webhooks may go. An endpoint's URL must be absolute http(s) without user
 * info, https only on AWS, and every address its host resolves to must be public: no loopback,
 * private (RFC 1918), carrier-grade NAT, link-local (the cloud metadata service), unique-local,
 * multicast, reserved or unspecified address, also when wrapped in IPv4-mapped or NAT64 IPv6.
 * It is checked when the endpoint is saved and again before each delivery, because a name can
 * resolve to another address later (DNS rebinding). The local runtime allows private addresses
 * (DRIPLINE_WEBHOOKS_ALLOW_PRIVATE) so that a receiver on localhost works.
 *
 * @param httpsOnly    refuse http (on AWS: AWS_LAMBDA_FUNCTION_NAME is set)
 * @param allowPrivate allow non-public addresses (DRIPLINE_WEBHOOKS_ALLOW_PRIVATE)
 */
public record WebhookAddress(boolean httpsOnly, boolean allowPrivate) {

    /** Resolves a host name; a seam so tests can play DNS. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    static final Resolver DNS = InetAddress::getAllByName;

    /** Why {@code url} may not receive webhooks, or empty if it may. */
    public Optional<String> refusal(URI url, Resolver resolver) {
        if (url == null || !url.isAbsolute() || url.getHost() == null || url.getHost().isBlank()) {
            return Optional.of("must be an absolute URL such as https://example.com/dripline");
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Optional.of("must be an http(s) URL");
        }
        if (httpsOnly && !scheme.equals("https")) {
            return Optional.of("must be https");
        }
        if (url.getRawUserInfo() != null) {
            return Optional.of("must not carry a user name or password; authenticate receipts by the signature");
        }
        if (url.getRawFragment() != null) {
            return Optional.of("must not have a fragment");
        }
        if (allowPrivate) {
            return Optional.empty();
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(url.getHost());
        } catch (UnknownHostException e) {
            return Optional.of("its host " + url.getHost() + " does not resolve");
        }
        for (InetAddress a : addresses) {
            if (!isPublic(a)) {
                return Optional.of("resolves to " + a.getHostAddress() + ", which is not a public address");
            }
        }
        return addresses.length == 0 ? Optional.of("its host " + url.getHost() + " does not resolve") : Optional.empty();
    }

    /** Whether an address is routable on the public internet. */
    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return isPublicV4(b);
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xFF;
            if ((first & 0xFE) == 0xFC) { // fc00::/7 unique-local
                return false;
            }
            if (first == 0xFE && (b[1] & 0xC0) == 0xC0) { // fec0::/10 old site-local
                return false;
            }
            if (prefixZero(b, 10) && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF) { // ::ffff:a.b.c.d
                return isPublicV4(tail(b));
            }
            if (prefixZero(b, 12)) { // ::a.b.c.d (deprecated IPv4-compatible) and ::1, ::
                return false;
            }
            if ((b[0] & 0xFF) == 0x00 && (b[1] & 0xFF) == 0x64 && (b[2] & 0xFF) == 0xFF && (b[3] & 0xFF) == 0x9B) { // 64:ff9b::/96 NAT64
                return isPublicV4(tail(b));
            }
            if ((b[0] & 0xFF) == 0x20 && (b[1] & 0xFF) == 0x01 && (b[2] & 0xFF) == 0x0D && (b[3] & 0xFF) == 0xB8) { // 2001:db8::/32 documentation
                return false;
            }
            if ((b[0] & 0xFF) == 0x20 && (b[1] & 0xFF) == 0x02) { // 2002::/16 6to4: the embedded IPv4 decides
                return isPublicV4(new byte[] {b[2], b[3], b[4], b[5]});
            }
            return (first & 0xE0) == 0x20; // 2000::/3 is the global unicast space
        }
        return false;
    }

    private static boolean isPublicV4(byte[] b) {
        int a0 = b[0] & 0xFF;
        int a1 = b[1] & 0xFF;
        int a2 = b[2] & 0xFF;
        return !(a0 == 0 // this network
                || a0 == 10 || a0 == 127
                || (a0 == 100 && a1 >= 64 && a1 <= 127) // carrier-grade NAT
                || (a0 == 169 && a1 == 254) // link-local, the metadata service
                || (a0 == 172 && a1 >= 16 && a1 <= 31)
                || (a0 == 192 && a1 == 0 && a2 == 0) // IETF protocol assignments
                || (a0 == 192 && a1 == 0 && a2 == 2) // documentation
                || (a0 == 192 && a1 == 88 && a2 == 99) // 6to4 relay anycast
                || (a0 == 192 && a1 == 168)
                || (a0 == 198 && (a1 == 18 || a1 == 19)) // benchmarking
                || (a0 == 198 && a1 == 51 && a2 == 100) // documentation
                || (a0 == 203 && a1 == 0 && a2 == 113) // documentation
                || a0 >= 224); // multicast, reserved, broadcast
    }

    private static boolean prefixZero(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] tail(byte[] b) {
        return new byte[] {b[12], b[13], b[14], b[15]};
    }
}
