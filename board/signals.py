"""What the board tells the apps above it (the lower app defines the interface).

``post_status_changed`` is sent by ``board.services`` INSIDE the transaction of the change,
after the post is saved, so a receiver's writes commit or roll back with it (a receiver that
raises undoes the change). It is sent once per change:

| service                         | when                                         | old → new            |
|---------------------------------|----------------------------------------------|----------------------|
| ``post_approve``                | a submitted or rejected post is approved     | → approved           |
| ``post_reject``                 | a submitted or approved post is rejected     | → rejected           |
| ``post_mark_duplicate``              | a post is marked a duplicate of an original  | unchanged (see below)|
| ``post_edit``                   | the author's edit sends an approved or       | → submitted          |
|                                 | rejected post back to review; a draft is     |                      |
|                                 | submitted                                    |                      |

Keyword arguments (``sender`` is :class:`board.models.Post`):

- ``post``: the :class:`~board.models.Post`, as saved;
- ``old_status``, ``new_status``: :class:`~board.models.PostStatus` values (for a duplicate
  mark both are the post's status: the status does not move, ``original`` says what did);
- ``by``: the user acting (reviewer, editor), or ``None``;
- ``at``: an aware datetime, when it happened;
- ``reason``: the rejection reason, ``""`` otherwise;
- ``original``: the original :class:`~board.models.Post` of a duplicate mark, else ``None``.

``proposals`` listens to move a staff proposal's lifecycle with its board post.
"""

import django.dispatch

post_status_changed = django.dispatch.Signal()
