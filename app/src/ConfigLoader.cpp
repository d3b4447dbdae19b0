#include "app/ConfigLoader.h"

#include "IniRawValues.h"
#include "IniSection.h"
#include "app/MuteSchedule.h"
#include "camera/SourceSpec.h"
#include "camera/UrlCredentials.h"
#include "motion/MaskParser.h"
#include "sensors/SensorSpec.h"
#include "xmpp/Jid.h"

#include <QFile>
#include <QFileInfo>
#include <QSettings>

using namespace std::chrono_literals;

namespace garage {
namespace {

constexpr auto kDay = std::chrono::milliseconds(24h);
constexpr qint64 kMaxFileBytes = 1024 * 1024;
const QString kMasked = QStringLiteral("********");

// A secret is taken as written, or refused: QSettings would end an unquoted value at ';', split it at ',' and read
// '\' and '"' as escapes, and log in with a password nobody wrote (or send the camera a wrong one, which looks like a
// camera fault). Quoted, QSettings reads it whole. The inline XMPP password, and a camera URL that holds credentials.
void checkUnquotedSecret(IniSection s, const QByteArray &fileText, const QString &section, const QString &key)
{
    for (const QString &raw : rawIniValues(fileText, section, key)) {
        if (raw.startsWith(QLatin1Char('"')) && raw.endsWith(QLatin1Char('"')) && raw.size() >= 2)
            continue;
        const bool password = key == QLatin1String("password");
        if (!password && maskUrlCredentials(raw) == raw)
            continue; // no credentials in it: the camera URL's own checks say what is wrong with it
        for (const QChar c : {QLatin1Char(';'), QLatin1Char(','), QLatin1Char('\\'), QLatin1Char('"')}) {
            if (raw.contains(c)) {
                s.fail(key, password ? kMasked : maskUrlCredentials(raw),
                       QStringLiteral("the %1 holds '%2', which an unquoted INI value cannot hold (it would be "
                                      "cut or split there): write it in double quotes, %3 = \"...\" (a \\ "
                                      "or \" inside as \\\\ or \\\")%4")
                           .arg(password ? QStringLiteral("password") : QStringLiteral("camera URL (with a password in it)"), c, key,
                                password ? QStringLiteral(", or put it in password_file") : QString()));
                return;
            }
        }
    }
}

void readXmpp(IniSection s, XmppConfig &c)
{
    c.jid = s.text(QStringLiteral("jid"), c.jid);
    if (!isBareJid(c.jid))
        s.fail(QStringLiteral("jid"), c.jid, QStringLiteral("expected the account's bare JID, e.g. home@example.org"));
    c.password = s.secret(QStringLiteral("password"));
    c.passwordFile = s.text(QStringLiteral("password_file"), c.passwordFile);
    if (c.password.isEmpty() == c.passwordFile.isEmpty()) {
        s.fail(QStringLiteral("password_file"), c.passwordFile,
               QStringLiteral("set exactly one of password_file (preferred) or password"));
    } else if (!c.passwordFile.isEmpty()) {
        const QFileInfo info(c.passwordFile);
        if (!info.isFile() || !info.isReadable())
            s.fail(QStringLiteral("password_file"), c.passwordFile, QStringLiteral("expected a readable file"));
        else if (info.permissions() & QFileDevice::ReadOther)
            s.fail(QStringLiteral("password_file"), c.passwordFile,
                   QStringLiteral("the file is world-readable; chmod 600 or 640 it"));
    }
    c.resource = s.text(QStringLiteral("resource"), c.resource);
    if (c.resource.isEmpty() || c.resource.contains(QLatin1Char('/')) || c.resource.contains(QLatin1Char(' ')))
        s.fail(QStringLiteral("resource"), c.resource, QStringLiteral("expected a non-empty name without '/' or spaces"));
    c.priority = s.integer(QStringLiteral("priority"), c.priority, -128, 127);
    c.keyword = s.text(QStringLiteral("keyword"), c.resource);
    if (c.keyword.contains(QLatin1Char(' ')))
        s.fail(QStringLiteral("keyword"), c.keyword, QStringLiteral("expected a single word"));
    c.host = s.text(QStringLiteral("host"), c.host);
    c.port = s.integer(QStringLiteral("port"), c.port, 1, 65535);
    c.requireTls = s.boolean(QStringLiteral("require_tls"), c.requireTls);
    if (!c.requireTls)
        s.warn(QStringLiteral("require_tls"), QStringLiteral("false"),
               QStringLiteral("messages and the password may cross the network unencrypted"));
    c.insecure = s.boolean(QStringLiteral("insecure"), c.insecure);
    if (c.insecure)
        s.warn(QStringLiteral("insecure"), QStringLiteral("true"),
               QStringLiteral("the server's certificate is not verified"));
    c.caFile = s.text(QStringLiteral("ca_file"), c.caFile);
    if (!c.caFile.isEmpty() && !QFileInfo(c.caFile).isReadable())
        s.fail(QStringLiteral("ca_file"), c.caFile, QStringLiteral("expected a readable PEM file"));
    c.owners = s.list(QStringLiteral("owners"));
    if (c.owners.isEmpty())
        s.fail(QStringLiteral("owners"), QString(), QStringLiteral("expected at least one owner's bare JID"));
    for (QString &owner : c.owners) {
        if (!isBareJid(owner))
            s.fail(QStringLiteral("owners"), owner, QStringLiteral("expected bare JIDs separated by commas"));
        owner = owner.toLower();
    }
    const QString policy = s.choice(QStringLiteral("require_keyword"), QStringLiteral("auto"),
                                    {QStringLiteral("auto"), QStringLiteral("always"), QStringLiteral("never")});
    c.requireKeyword = policy == QLatin1String("always") ? KeywordPolicy::Always
                       : policy == QLatin1String("never") ? KeywordPolicy::Never
                                                          : KeywordPolicy::Auto;
    c.relay = s.boolean(QStringLiteral("relay"), c.relay);
    c.commandsPerMinute = s.integer(QStringLiteral("commands_per_minute"), c.commandsPerMinute, 1, 600);
    c.uploadService = s.text(QStringLiteral("upload_service"), c.uploadService);
    c.uploadTimeout = std::chrono::seconds(
        s.integer(QStringLiteral("upload_timeout_seconds"), int(c.uploadTimeout.count()), 1, 3600));
    c.connectTimeout = std::chrono::seconds(
        s.integer(QStringLiteral("connect_timeout_seconds"), int(c.connectTimeout.count()), 1, 600));
    c.conflictRetry = std::chrono::seconds(
        s.integer(QStringLiteral("conflict_retry_seconds"), int(c.conflictRetry.count()), 1, 86400));
    c.outboxMaxAlerts = s.integer(QStringLiteral("outbox_max_alerts"), c.outboxMaxAlerts, 1, 10000);
    c.outboxMaxAge = std::chrono::hours(s.integer(QStringLiteral("outbox_max_hours"), int(c.outboxMaxAge.count()), 1, 24 * 365));
}

void readCamera(IniSection s, CameraConfig &c)
{
    c.source = s.text(QStringLiteral("source"), c.source);
    if (const auto spec = parseSourceSpec(c.source); !spec)
        s.fail(QStringLiteral("source"), c.source, spec.error());
    c.width = s.integer(QStringLiteral("width"), c.width, 16, 7680);
    c.height = s.integer(QStringLiteral("height"), c.height, 16, 4320);
    c.fps = s.integer(QStringLiteral("fps"), c.fps, 1, 240);
    c.analysisFps = s.integer(QStringLiteral("analysis_fps"), c.analysisFps, 1, 240);
    c.loop = s.boolean(QStringLiteral("loop"), c.loop);
    c.stallTimeout = std::chrono::duration_cast<std::chrono::seconds>(
        s.seconds(QStringLiteral("stall_seconds"), c.stallTimeout, 1s, 3600s));
    c.jpegQuality = s.integer(QStringLiteral("jpeg_quality"), c.jpegQuality, 1, 100);
    c.snapshotWidth = s.integer(QStringLiteral("snapshot_width"), c.snapshotWidth, 160, 7680);
    c.maxPictureWidth = s.integer(QStringLiteral("max_picture_width"), c.maxPictureWidth, 16, 65535);
    c.maxPictureHeight = s.integer(QStringLiteral("max_picture_height"), c.maxPictureHeight, 16, 65535);
}

void readMotion(IniSection s, MotionConfig &c)
{
    c.analysisWidth = s.integer(QStringLiteral("analysis_width"), c.analysisWidth, 32, 1920);
    c.blurSize = s.integer(QStringLiteral("blur_size"), c.blurSize, 0, 31);
    if (c.blurSize > 1 && c.blurSize % 2 == 0)
        s.fail(QStringLiteral("blur_size"), QString::number(c.blurSize), QStringLiteral("expected an odd size, or 0"));
    c.threshold = s.integer(QStringLiteral("threshold"), c.threshold, 1, 255);
    c.absorbTime = s.seconds(QStringLiteral("absorb_seconds"), c.absorbTime, 1s, kDay);
    c.dilateIterations = s.integer(QStringLiteral("dilate_iterations"), c.dilateIterations, 0, 10);
    c.minContourPercent = s.number(QStringLiteral("min_contour_percent"), c.minContourPercent, 0.0, 100.0);
    c.motionPercent = s.number(QStringLiteral("motion_percent"), c.motionPercent, 0.0, 100.0);
    c.lightswitchPercent = s.number(QStringLiteral("lightswitch_percent"), c.lightswitchPercent, 1.0, 100.0);
    c.lightswitchFrames = s.integer(QStringLiteral("lightswitch_frames"), c.lightswitchFrames, 0, 1000);
    c.minimumMotionFrames = s.integer(QStringLiteral("minimum_motion_frames"), c.minimumMotionFrames, 1, 1000);
    c.eventGap = s.seconds(QStringLiteral("event_gap"), c.eventGap, 0ms, std::chrono::milliseconds(1h));
    c.maxEventDuration = s.seconds(QStringLiteral("max_event_seconds"), c.maxEventDuration, 1s, kDay);
    const QString masks = s.text(QStringLiteral("mask"), QString());
    if (const auto parsed = parseMaskPolygons(masks.toStdString()); parsed) {
        c.masks = *parsed;
        s.show(QStringLiteral("mask"), QString::fromStdString(formatMaskPolygons(c.masks)));
    } else {
        s.fail(QStringLiteral("mask"), masks,
               QString::fromStdString(parsed.error()) + QStringLiteral(" (expected polygons 'x,y x,y x,y | ...' in 0..1)"));
    }
    c.personCheck = s.boolean(QStringLiteral("person_check"), c.personCheck);
}

void readTemperature(IniSection s, TemperatureConfig &c)
{
    c.source = s.text(QStringLiteral("source"), c.source);
    if (const auto spec = parseTemperatureSource(c.source); !spec)
        s.fail(QStringLiteral("source"), c.source, spec.error());
    c.w1Dir = s.text(QStringLiteral("w1_dir"), c.w1Dir);
    c.pollInterval = std::chrono::duration_cast<std::chrono::seconds>(
        s.seconds(QStringLiteral("poll_seconds"), c.pollInterval, 2s, std::chrono::milliseconds(1h)));
    c.readTimeout = s.seconds(QStringLiteral("read_timeout_seconds"), c.readTimeout, 1s, std::chrono::milliseconds(10min));
    c.lowCelsius = s.optionalNumber(QStringLiteral("low"), c.lowCelsius, -55.0, 125.0);
    c.highCelsius = s.optionalNumber(QStringLiteral("high"), c.highCelsius, -55.0, 125.0);
    c.hysteresisCelsius = s.number(QStringLiteral("hysteresis"), c.hysteresisCelsius, 0.0, 20.0);
    if (c.lowCelsius && c.highCelsius && *c.lowCelsius >= *c.highCelsius)
        s.fail(QStringLiteral("high"), QString::number(*c.highCelsius),
               QStringLiteral("expected a value above temperature/low (%1)").arg(*c.lowCelsius));
    c.staleAfter = std::chrono::minutes(s.integer(QStringLiteral("stale_minutes"), int(c.staleAfter.count()), 1, 1440));
}

// "gpiochip0:22" and "/dev/gpiochip0:22" are the same line.
QString lineIdentity(const QString &text)
{
    if (!simulatedLinePath(text).isEmpty())
        return text;
    const auto spec = parseGpioLine(text);
    if (!spec)
        return text;
    const QString chip = spec->chip.startsWith(QLatin1String("/dev/")) ? spec->chip.mid(5) : spec->chip;
    return QStringLiteral("%1:%2").arg(chip).arg(spec->line);
}

// The relay across the opener's button: off until relay_line is set, and only with a contact to check the door.
void readDoorControl(IniSection &s, DoorConfig &c)
{
    c.relayLine = s.text(QStringLiteral("relay_line"), c.relayLine);
    c.relayActiveLow = s.boolean(QStringLiteral("relay_active_low"), c.relayActiveLow);
    c.press = std::chrono::milliseconds(s.integer(QStringLiteral("press_ms"), int(c.press.count()), 50, 5000));
    c.travel = std::chrono::seconds(s.integer(QStringLiteral("travel_seconds"), int(c.travel.count()), 1, 300));
    if (c.relayLine.isEmpty())
        return;
    if (const QString problem = checkLineText(c.relayLine); !problem.isEmpty())
        s.fail(QStringLiteral("relay_line"), c.relayLine, problem);
    else if (c.line.isEmpty())
        s.fail(QStringLiteral("relay_line"), c.relayLine,
               QStringLiteral("door control needs the door contact ([door] line) to know whether the door is open"));
    else if (lineIdentity(c.line) == lineIdentity(c.relayLine))
        s.fail(QStringLiteral("relay_line"), c.relayLine,
               QStringLiteral("the relay and the door contact ([door] line) cannot use the same line"));
}

void readDoor(IniSection s, DoorConfig &c)
{
    c.line = s.text(QStringLiteral("line"), c.line);
    if (!c.line.isEmpty())
        if (const QString problem = checkLineText(c.line); !problem.isEmpty())
            s.fail(QStringLiteral("line"), c.line, problem);
    c.activeLow = s.boolean(QStringLiteral("active_low"), c.activeLow);
    c.debounce = std::chrono::milliseconds(s.integer(QStringLiteral("debounce_ms"), int(c.debounce.count()), 0, 5000));
    c.openAlertAfter = std::chrono::minutes(s.integer(
        QStringLiteral("open_alert_minutes"), int(std::chrono::duration_cast<std::chrono::minutes>(c.openAlertAfter).count()), 0, 10080));
    readDoorControl(s, c);
}

void readAlerts(IniSection s, AlertsConfig &c)
{
    c.armedAtStart = s.boolean(QStringLiteral("armed"), c.armedAtStart);
    c.cooldown = std::chrono::duration_cast<std::chrono::seconds>(
        s.seconds(QStringLiteral("cooldown_seconds"), c.cooldown, 0s, kDay));
    c.personsOnly = s.boolean(QStringLiteral("persons_only"), c.personsOnly);
    c.eventSummary = s.boolean(QStringLiteral("event_summary"), c.eventSummary);
    c.cameraLostAfter = std::chrono::duration_cast<std::chrono::seconds>(
        s.seconds(QStringLiteral("camera_lost_seconds"), c.cameraLostAfter, 1s, kDay));
    c.muteSchedule = s.text(QStringLiteral("mute_schedule"), c.muteSchedule);
    if (const auto schedule = MuteSchedule::parse(c.muteSchedule); !schedule)
        s.fail(QStringLiteral("mute_schedule"), c.muteSchedule, schedule.error());
}

void readStorage(IniSection s, StorageConfig &c)
{
    c.dir = s.text(QStringLiteral("dir"), c.dir);
    if (c.dir.isEmpty() || !QFileInfo(c.dir).isAbsolute())
        s.fail(QStringLiteral("dir"), c.dir, QStringLiteral("expected an absolute directory path"));
    c.retentionDays = s.integer(QStringLiteral("retention_days"), c.retentionDays, 1, 3650);
    c.maxMegabytes = s.integer(QStringLiteral("max_mb"), c.maxMegabytes, 1, 1024 * 1024);
}

void readClips(IniSection s, ClipSettings &c)
{
    c.enabled = s.boolean(QStringLiteral("enabled"), c.enabled);
    c.preSeconds = std::chrono::seconds(s.integer(QStringLiteral("pre_seconds"), int(c.preSeconds.count()), 0, 10));
    c.maxSeconds = std::chrono::seconds(s.integer(QStringLiteral("max_seconds"), int(c.maxSeconds.count()), 1, 60));
    if (c.maxSeconds <= c.preSeconds)
        s.fail(QStringLiteral("max_seconds"), QString::number(c.maxSeconds.count()),
               QStringLiteral("expected more than clips/pre_seconds (%1): the clip would hold no second of the event")
                   .arg(c.preSeconds.count()));
    // at the 320 kbit/s cap, a clip of up to 12 s stays within Conversations' 512 KiB auto-download limit
    else if (c.maxSeconds > 12s)
        s.warn(QStringLiteral("max_seconds"), QString::number(c.maxSeconds.count()),
               QStringLiteral("clips over 12 s may exceed 512 KiB: phones then download them only on a tap"));
    c.width = s.integer(QStringLiteral("width"), c.width, 160, 1920);
    c.fps = s.integer(QStringLiteral("fps"), c.fps, 1, 30);
    c.annotate = s.boolean(QStringLiteral("annotate"), c.annotate);
}

} // namespace

QString ConfigIssue::toString() const
{
    if (!valueShown)
        return QStringLiteral("%1: %2").arg(key, message);
    return QStringLiteral("%1 = '%2': %3").arg(key, value, message);
}

ConfigLoadResult ConfigLoader::load(const QString &path)
{
    ConfigLoadResult result;
    QFile file(path);
    if (!QFileInfo(path).isFile() || !file.open(QIODevice::ReadOnly)) {
        result.errors << ConfigIssue{QStringLiteral("(file)"), path, QStringLiteral("cannot read the configuration file")};
        return result;
    }
    const QByteArray fileText = file.read(kMaxFileBytes);
    const QSettings settings(path, QSettings::IniFormat);
    if (settings.status() != QSettings::NoError) {
        result.errors << ConfigIssue{QStringLiteral("(file)"), path, QStringLiteral("not a valid INI file")};
        return result;
    }
    ConfigRecord record;
    AppConfig &c = result.config;
    readXmpp(IniSection(settings, QStringLiteral("xmpp"), record), c.xmpp);
    checkUnquotedSecret(IniSection(settings, QStringLiteral("xmpp"), record), fileText, QStringLiteral("xmpp"),
                        QStringLiteral("password"));
    checkUnquotedSecret(IniSection(settings, QStringLiteral("camera"), record), fileText, QStringLiteral("camera"),
                        QStringLiteral("source"));
    readCamera(IniSection(settings, QStringLiteral("camera"), record), c.camera);
    readMotion(IniSection(settings, QStringLiteral("motion"), record), c.motion);
    readTemperature(IniSection(settings, QStringLiteral("temperature"), record), c.temperature);
    readDoor(IniSection(settings, QStringLiteral("door"), record), c.door);
    readAlerts(IniSection(settings, QStringLiteral("alerts"), record), c.alerts);
    readStorage(IniSection(settings, QStringLiteral("storage"), record), c.storage);
    readClips(IniSection(settings, QStringLiteral("clips"), record), c.clips);
    for (const QString &key : settings.allKeys())
        if (!record.knownKeys.contains(key))
            // the value is never shown: a misspelt key (pasword = ...) may hold a secret
            record.warnings << ConfigIssue{key, QString(), QStringLiteral("unknown key, ignored (its value is not shown)"),
                                           false};
    result.errors = record.errors;
    result.warnings = record.warnings;
    result.effective = record.effective;
    return result;
}

} // namespace garage
