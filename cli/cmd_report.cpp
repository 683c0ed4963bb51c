#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "cli/commands.hpp"
#include "cli/period.hpp"
#include "core/util/error.hpp"
#include "core/store/index.hpp"
#include "core/report/report.hpp"
#include "core/util/text.hpp"

namespace desk::cli {

namespace {

struct ReportCommandOptions {
  PeriodOptions period;
  std::string html;
  std::string title = "desk report";
};

[[noreturn]] void cannot_write(const std::string& shown, int err) {
  throw Error(ErrorKind::io, fmt::format("cannot write '{}': {}", strip_controls_line(shown), std::strerror(err)),
              "check that the directory exists and is writable");
}

// Writes a temporary file beside the target and renames it over the target, so a reader never
// sees a partial report and a failure leaves nothing behind.
void write_atomically(const std::filesystem::path& path, const std::string& shown, const std::string& text) {
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  std::string tmpl = (dir / ("." + path.filename().string() + ".desk-XXXXXX")).string();
  int fd = ::mkstemp(tmpl.data());
  if (fd < 0) cannot_write(shown, errno);
  mode_t mask = ::umask(0);
  ::umask(mask);
  int err = 0;
  if (::fchmod(fd, 0666 & ~mask) != 0) err = errno;
  for (size_t done = 0; !err && done < text.size();) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) err = n < 0 ? errno : EIO;
    else done += static_cast<size_t>(n);
  }
  // On disk before the rename, so a crash cannot leave an empty report under the final name.
  if (!err && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && !err) err = errno;
  if (!err && ::rename(tmpl.c_str(), path.c_str()) != 0) err = errno;
  if (err) {
    ::unlink(tmpl.c_str());
    cannot_write(shown, err);
  }
}

}  // namespace

void define_report(CLI::App& cmd, Session& s) {
  auto o = std::make_shared<ReportCommandOptions>();
  cmd.add_option("--html", o->html, "write the report as one self-contained HTML file (- for standard output)")
      ->type_name("FILE")
      ->required();
  add_period_options(cmd, o->period);
  cmd.add_option("--title", o->title, "the report's heading (default: desk report)")->type_name("TEXT");
  cmd.callback([&s, o] {
    Timestamp now = s.now();
    StatsPeriod period = resolve_period(o->period, now);
    Desk& d = s.desk();
    // One ticket at a time: the metrics and the backlog series keep only their counts.
    // By tier, and from the same reading of each ticket by priority, type and category; by week a
    // builder of its own (each week is a period of its own).
    auto by_tier = [&] {
      StatsBuilder b(d.config(), period, GroupBy::tier, now);
      for (GroupBy by : {GroupBy::priority, GroupBy::type, GroupBy::category}) b.also_by(by);
      return b;
    };
    StatsBuilder stats = by_tier();
    StatsBuilder weekly(d.config(), period, GroupBy::week, now);
    BacklogBuilder backlog(period, now);
    WatchBuilder watch(d.config(), period, now);
    TicketQuery q;
    q.texts = false;  // no metric reads a text
    q.settled_before = std::min(period.since, std::min(period.until, now));  // the rest add nothing
    auto problems = for_each_ticket(
        d, d.head(), q,
        [&] {
          stats = by_tier();
          weekly = StatsBuilder(d.config(), period, GroupBy::week, now);
          backlog = BacklogBuilder(period, now);
          watch = WatchBuilder(d.config(), period, now);
        },
        [&](Ticket&& t) {
          stats.add(t);
          weekly.add(t);
          backlog.add(t);
          watch.add(t);
        });
    for (const auto& p : problems) s.err() << "desk: warning: " << strip_controls_line(p.message) << "\n";
    ReportOptions options;
    options.title = o->title;
    Stats st = stats.finish();
    size_t count = st.total.tickets;  // the tickets of the period (created, worked or open in it)
    Watch w = watch.finish();
    ReportGroups groups{weekly.finish(), stats.finish_also(GroupBy::priority), stats.finish_also(GroupBy::type), stats.finish_also(GroupBy::category)};
    std::string html = render_report_html(st, backlog.finish(), d.config(), now, options, &w, &groups);
    if (o->html == "-") {
      s.out() << html;
      s.out().flush();
      return;
    }
    std::filesystem::path p(o->html);
    if (p.is_relative()) p = std::filesystem::path(s.work_dir()) / p;
    write_atomically(p, o->html, html);
    s.status(fmt::format("wrote the report for {} ticket{} to {}", count, count == 1 ? "" : "s", strip_controls_line(o->html)));
  });
}

}  // namespace desk::cli
