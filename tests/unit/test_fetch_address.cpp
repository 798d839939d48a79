// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/fetch/address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

using namespace trend;
using fetch::AddressClass;

namespace {

AddressClass class_of(const char* text) {
    const auto a = fetch::parse_ip(text);
    REQUIRE_MESSAGE(a, text);
    return fetch::classify(*a);
}

} // namespace

TEST_SUITE("fetch") {

    TEST_CASE("IPv4 addresses are classified by the special-purpose registry") {
        CHECK(class_of("8.8.8.8") == AddressClass::global);
        CHECK(class_of("93.184.216.34") == AddressClass::global);
        CHECK(class_of("0.0.0.0") == AddressClass::unspecified);
        CHECK(class_of("127.0.0.1") == AddressClass::loopback);
        CHECK(class_of("127.255.255.254") == AddressClass::loopback);
        CHECK(class_of("10.1.2.3") == AddressClass::private_use);
        CHECK(class_of("172.16.0.1") == AddressClass::private_use);
        CHECK(class_of("172.31.255.255") == AddressClass::private_use);
        CHECK(class_of("172.32.0.1") == AddressClass::global);
        CHECK(class_of("192.168.1.1") == AddressClass::private_use);
        CHECK(class_of("100.64.0.1") == AddressClass::shared);
        CHECK(class_of("100.128.0.1") == AddressClass::global);
        CHECK(class_of("169.254.169.254") == AddressClass::link_local); // cloud metadata
        CHECK(class_of("224.0.0.1") == AddressClass::multicast);
        CHECK(class_of("255.255.255.255") == AddressClass::reserved);
        CHECK(class_of("198.18.0.1") == AddressClass::reserved);
        CHECK(class_of("203.0.113.7") == AddressClass::documentation);
    }

    TEST_CASE("IPv6 addresses, and IPv4 carried in IPv6, are classified") {
        CHECK(class_of("2606:4700::1111") == AddressClass::global);
        CHECK(class_of("::") == AddressClass::unspecified);
        CHECK(class_of("::1") == AddressClass::loopback);
        CHECK(class_of("fe80::1") == AddressClass::link_local);
        CHECK(class_of("fd00::1") == AddressClass::private_use);
        CHECK(class_of("ff02::1") == AddressClass::multicast);
        CHECK(class_of("2001:db8::1") == AddressClass::documentation);
        CHECK(class_of("4000::1") == AddressClass::reserved); // not 2000::/3
        // Mapped, compatible, NAT64 and 6to4 forms take their IPv4 address's class.
        CHECK(class_of("::ffff:127.0.0.1") == AddressClass::loopback);
        CHECK(class_of("::ffff:7f00:1") == AddressClass::loopback);
        CHECK(class_of("::ffff:10.0.0.1") == AddressClass::private_use);
        CHECK(class_of("::ffff:8.8.8.8") == AddressClass::global);
        CHECK(class_of("::127.0.0.1") == AddressClass::loopback);
        CHECK(class_of("64:ff9b::169.254.169.254") == AddressClass::link_local);
        CHECK(class_of("2002:c0a8:0101::1") == AddressClass::private_use); // 192.168.1.1
        CHECK(class_of("2002:0808:0808::1") == AddressClass::global);
    }

    TEST_CASE("only global addresses are public") {
        CHECK(fetch::is_public(AddressClass::global));
        for (const auto c :
             {AddressClass::unspecified, AddressClass::loopback, AddressClass::private_use,
              AddressClass::shared, AddressClass::link_local, AddressClass::multicast,
              AddressClass::reserved, AddressClass::documentation})
            CHECK_FALSE(fetch::is_public(c));
    }

    TEST_CASE("socket addresses are classified by family") {
        sockaddr_in v4{};
        v4.sin_family = AF_INET;
        REQUIRE(::inet_pton(AF_INET, "192.168.0.10", &v4.sin_addr) == 1);
        const auto c4 = fetch::classify(reinterpret_cast<const sockaddr*>(&v4));
        REQUIRE(c4);
        CHECK(*c4 == AddressClass::private_use);
        CHECK(fetch::address_text(reinterpret_cast<const sockaddr*>(&v4)) == "192.168.0.10");

        sockaddr_in6 v6{};
        v6.sin6_family = AF_INET6;
        REQUIRE(::inet_pton(AF_INET6, "::ffff:127.0.0.1", &v6.sin6_addr) == 1);
        const auto c6 = fetch::classify(reinterpret_cast<const sockaddr*>(&v6));
        REQUIRE(c6);
        CHECK(*c6 == AddressClass::loopback);

        sockaddr other{};
        other.sa_family = AF_UNIX;
        CHECK_FALSE(fetch::classify(&other));
        CHECK_FALSE(fetch::classify(static_cast<const sockaddr*>(nullptr)));
    }

    TEST_CASE("parse_ip accepts numeric addresses only") {
        CHECK(fetch::parse_ip("1.2.3.4"));
        CHECK(fetch::parse_ip("::1"));
        CHECK_FALSE(fetch::parse_ip("localhost"));
        CHECK_FALSE(fetch::parse_ip("1.2.3"));
        CHECK_FALSE(fetch::parse_ip(""));
        CHECK(fetch::to_string(*fetch::parse_ip("::ffff:7f00:1")) == "::ffff:127.0.0.1");
    }
}
