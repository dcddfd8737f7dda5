"""Another CalDAV client editing the executive's calendar while Tandem works: the python
`caldav` library (PyPI), as a colleague's Thunderbird or phone would. It sets one property of
one event, found by UID, and saves it with the ETag it read (so it, too, would get a 412 if
Tandem had written in between).

usage: other_client.py CALENDAR_URL USER PASSWORD UID PROPERTY VALUE
"""

import sys

import caldav


def main():
    url, user, password, uid, prop, value = sys.argv[1:7]
    client = caldav.DAVClient(url=url, username=user, password=password)
    calendar = client.calendar(url=url)
    event = calendar.object_by_uid(uid)
    component = event.icalendar_component
    if prop in component:
        del component[prop]
    component.add(prop, value)
    event.save()
    print("saved", flush=True)


if __name__ == "__main__":
    main()
