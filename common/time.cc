#include "common/time.h"

#include <chrono>
#include <cstdio>

namespace dossier {
namespace {

namespace chrono = std::chrono;

// Reads exactly `count` ASCII digits at `*pos`, advancing it; -1 when not there.
int Digits(std::string_view text, size_t* pos, size_t count) {
  if (text.size() - *pos < count) return -1;
  int value = 0;
  for (size_t i = 0; i < count; ++i) {
    const char c = text[*pos + i];
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  *pos += count;
  return value;
}

bool Expect(std::string_view text, size_t* pos, char wanted) {
  if (*pos >= text.size() || text[*pos] != wanted) return false;
  ++*pos;
  return true;
}

bool ExpectEither(std::string_view text, size_t* pos, char upper) {
  return Expect(text, pos, upper) || Expect(text, pos, static_cast<char>(upper - 'A' + 'a'));
}

}  // namespace

int64_t NowMs() {
  return chrono::duration_cast<chrono::milliseconds>(chrono::system_clock::now().time_since_epoch()).count();
}

std::string FormatRfc3339Ms(int64_t unix_ms) {
  const chrono::sys_time<chrono::milliseconds> instant{chrono::milliseconds(unix_ms)};
  // floor, not truncation, so that instants before 1970 land on the right day and second.
  const chrono::sys_days day = chrono::floor<chrono::days>(instant);
  const chrono::year_month_day date{day};
  const chrono::hh_mm_ss<chrono::milliseconds> time{instant - day};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()), static_cast<int>(time.subseconds().count()));
  return buf;
}

StatusOr<int64_t> ParseRfc3339(std::string_view text, std::string_view field) {
  const auto bad = [&](std::string why) {
    return InvalidArgument("must be an RFC 3339 time like 2026-11-29T08:00:00Z: " + why, "bad-time",
                           std::string(field));
  };
  size_t pos = 0;
  const int year = Digits(text, &pos, 4);
  const bool date_shape = year >= 0 && Expect(text, &pos, '-');
  const int month = date_shape ? Digits(text, &pos, 2) : -1;
  const int day = month >= 0 && Expect(text, &pos, '-') ? Digits(text, &pos, 2) : -1;
  if (day < 0) return bad("the date is not YYYY-MM-DD");
  const chrono::year_month_day date{chrono::year(year), chrono::month(static_cast<unsigned>(month)),
                                    chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return bad("there is no such date");
  if (!ExpectEither(text, &pos, 'T')) return bad("the date and time must be joined by 'T'");
  const int hour = Digits(text, &pos, 2);
  const int minute = hour >= 0 && Expect(text, &pos, ':') ? Digits(text, &pos, 2) : -1;
  const int second = minute >= 0 && Expect(text, &pos, ':') ? Digits(text, &pos, 2) : -1;
  if (second < 0) return bad("the time is not HH:MM:SS");
  if (hour > 23 || minute > 59 || second > 60) return bad("the time of day is out of range");
  int64_t millis = 0;
  if (Expect(text, &pos, '.')) {
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return bad("a '.' must be followed by digits");
    for (; digits < 3; ++digits) millis *= 10;
  }
  int offset_minutes = 0;
  if (!ExpectEither(text, &pos, 'Z')) {
    const bool ahead = Expect(text, &pos, '+');
    if (!ahead && !Expect(text, &pos, '-')) return bad("the time needs 'Z' or an offset like +01:00");
    const int offset_hours = Digits(text, &pos, 2);
    const int offset_mins = offset_hours >= 0 && Expect(text, &pos, ':') ? Digits(text, &pos, 2) : -1;
    if (offset_mins < 0 || offset_hours > 23 || offset_mins > 59)
      return bad("the offset is not +HH:MM or -HH:MM");
    offset_minutes = (ahead ? 1 : -1) * (offset_hours * 60 + offset_mins);
  }
  if (pos != text.size()) return bad("unexpected text after the time");
  const int64_t local_seconds =
      static_cast<int64_t>(chrono::sys_days(date).time_since_epoch().count()) * 86400 + hour * 3600 +
      minute * 60 + second;
  // Local time = UTC + offset, so UTC = local time - offset.
  return (local_seconds - int64_t{offset_minutes} * 60) * 1000 + millis;
}

}  // namespace dossier
