// SPDX-License-Identifier: MIT
#include "support.hpp"
#include "trend/control/metrics_listener.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>

#include <stdexcept>
#include <thread>

using namespace trend;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

/** A listener on 127.0.0.1:<free port> whose loop runs on a thread of its own. */
struct Running {
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
    control::MetricsListener listener;
    std::thread thread;

    explicit Running(control::MetricsListener::Render render)
        : listener(io, "127.0.0.1", 0, std::move(render)), thread([this] { io.run(); }) {}
    ~Running() {
        work.reset();
        io.stop();
        thread.join();
    }
};

tcp::socket connect(std::uint16_t port) {
    static asio::io_context client_io;
    tcp::socket s(client_io);
    s.connect({asio::ip::make_address("127.0.0.1"), port});
    return s;
}

/** Sends `request` as is and returns everything the server wrote until it closed. */
std::string http_exchange(std::uint16_t port, const std::string& request) {
    tcp::socket s = connect(port);
    asio::write(s, asio::buffer(request));
    std::string reply;
    boost::system::error_code ec;
    asio::read(s, asio::dynamic_buffer(reply), ec);
    return reply;
}

std::string get(std::uint16_t port, const std::string& method, const std::string& target) {
    return http_exchange(port, method + " " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
}

} // namespace

TEST_CASE("metrics listener: GET /metrics answers the rendered text in the Prometheus format") {
    Running r([] { return std::string("trendd_up 1\n"); });
    const std::string reply = get(r.listener.port(), "GET", "/metrics");
    CHECK(reply.starts_with("HTTP/1.1 200 OK\r\n"));
    CHECK(reply.find("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n") !=
          std::string::npos);
    CHECK(reply.find("Content-Length: 12\r\n") != std::string::npos);
    CHECK(reply.ends_with("\r\n\r\ntrendd_up 1\n"));
}

TEST_CASE("metrics listener: HEAD gives the length without the body") {
    Running r([] { return std::string("trendd_up 1\n"); });
    const std::string reply = get(r.listener.port(), "HEAD", "/metrics");
    CHECK(reply.starts_with("HTTP/1.1 200 OK\r\n"));
    CHECK(reply.find("Content-Length: 12\r\n") != std::string::npos);
    CHECK(reply.ends_with("\r\n\r\n"));
}

TEST_CASE("metrics listener: wrong path, wrong method, garbage and a failing render") {
    int renders = 0;
    Running r([&renders]() -> std::string {
        if (++renders == 1)
            throw std::runtime_error("database is locked");
        return "x 1\n";
    });
    const auto port = r.listener.port();
    const std::string failed = get(port, "GET", "/metrics");
    CHECK(failed.starts_with("HTTP/1.1 500 Internal Server Error\r\n"));
    CHECK(failed.ends_with("cannot collect the metrics: database is locked\n"));
    CHECK(get(port, "GET", "/").starts_with("HTTP/1.1 404 Not Found\r\n"));
    const std::string head404 = get(port, "HEAD", "/");
    CHECK(head404.starts_with("HTTP/1.1 404 Not Found\r\n"));
    CHECK(head404.ends_with("\r\n\r\n")); // HEAD: never a body, not even an error's
    CHECK(get(port, "GET", "/metricsz").starts_with("HTTP/1.1 404 Not Found\r\n"));
    const std::string post = get(port, "POST", "/metrics");
    CHECK(post.starts_with("HTTP/1.1 405 Method Not Allowed\r\n"));
    CHECK(post.find("Allow: GET, HEAD\r\n") != std::string::npos);
    CHECK(
        http_exchange(port, "\x16\x03\x01 hello\r\n\r\n").starts_with("HTTP/1.1 400 Bad Request"));
    CHECK(http_exchange(port, "GET /metrics HTTP/1.1\r\nX: " + std::string(9000, 'a') + "\r\n\r\n")
              .starts_with("HTTP/1.1 400 Bad Request"));
    CHECK(get(port, "GET", "/metrics?name=x").ends_with("\r\n\r\nx 1\n"));
}

TEST_CASE("metrics listener: idle connections cannot keep a scrape out") {
    Running r([] { return std::string("x 1\n"); });
    std::vector<tcp::socket> idle;
    for (int i = 0; i < 40; ++i)
        idle.push_back(connect(r.listener.port()));
    CHECK(get(r.listener.port(), "GET", "/metrics").starts_with("HTTP/1.1 200 OK\r\n"));
}

TEST_CASE("metrics listener: a port in use is an error naming the endpoint") {
    Running r([] { return std::string(); });
    asio::io_context io;
    try {
        control::MetricsListener second(io, "127.0.0.1", r.listener.port(), [] { return ""; });
        FAIL("a second listener on the same port was accepted");
    } catch (const control::ListenError& e) {
        CHECK(std::string(e.what()) ==
              fmt::format("metrics: cannot listen on 127.0.0.1:{}: Address already in use",
                          r.listener.port()));
    }
    CHECK_THROWS_AS(control::MetricsListener(io, "localhost", 0, [] { return ""; }),
                    control::ListenError);
}
