"""Chat channels a Chinese NOC hears its alerts in: WeCom (企业微信) applications and group
robots, DingTalk (钉钉) robots and Feishu/Lark (飞书) robots, chosen in the inventory's
``monitoring.receivers`` (inventory/monitoring.py).

* ``wechat``   WeCom applications: Alertmanager's own ``wechat_configs`` and the Chinese (or
               English) template
* ``render``   one notification (alerts grouped per site) as a :class:`~.render.Piece` and as
               each API's markdown/card body, in Chinese, within the documented size,
               @-mentioning the on-call when critical
* ``signing``  each API's documented signature (DingTalk and Feishu HMAC-SHA256; WeCom none)
* ``apis``     each robot API's URL, default rate limit, request and reply check
* ``merge``    a robot's rate limit kept by merging, never by dropping
* ``deliver``  sending with retries, one outbox per robot in the webhook receiver, the
               deliveries state file `monitor status` reads, and ``send_text`` for free text
"""
