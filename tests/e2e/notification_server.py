"""A desktop notification server (org.freedesktop.Notifications) for the end-to-end tests.

A bare D-Bus session has no notification daemon, so nothing would receive Tandem's desktop
notifications. This one implements the freedesktop specification's methods over the real
session bus and appends every notification it receives to a JSON-lines file, which the tests
read. Usage: notification_server.py LOG_FILE (prints "ready" once it owns the name).
"""

import asyncio
import json
import sys

from dbus_next.aio import MessageBus
from dbus_next.service import ServiceInterface, method


class Notifications(ServiceInterface):
    def __init__(self, log_path):
        super().__init__("org.freedesktop.Notifications")
        self.log_path = log_path
        self.next_id = 1

    @method()
    def GetCapabilities(self) -> "as":  # noqa: F821 (D-Bus signature)
        return ["body"]

    @method()
    def GetServerInformation(self) -> "ssss":  # noqa: F821
        return ["tandem-e2e", "tandem", "1", "1.2"]

    @method()
    def Notify(self, app_name: "s", replaces_id: "u", app_icon: "s", summary: "s", body: "s",  # noqa: F821
               actions: "as", hints: "a{sv}", expire_timeout: "i") -> "u":  # noqa: F821
        with open(self.log_path, "a", encoding="utf-8") as log:
            log.write(json.dumps({"app": app_name, "summary": summary, "body": body}) + "\n")
        self.next_id += 1
        return self.next_id - 1

    @method()
    def CloseNotification(self, id: "u"):  # noqa: F821
        pass


async def main(log_path):
    bus = await MessageBus().connect()
    bus.export("/org/freedesktop/Notifications", Notifications(log_path))
    await bus.request_name("org.freedesktop.Notifications")
    print("ready", flush=True)
    await asyncio.get_running_loop().create_future()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
