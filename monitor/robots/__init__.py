"""Chat robots a Chinese NOC hears its alerts in: WeCom (企业微信) group robots, DingTalk (钉钉)
robots and Feishu/Lark (飞书) robots, fed from Alertmanager's webhook payload.

* ``signing``  each API's documented signature (DingTalk and Feishu HMAC-SHA256; WeCom none)
* ``render``   one notification (alerts grouped per site) as each API's markdown/card message,
               in Chinese, within its documented size, @-mentioning the on-call when critical
* ``merge``    a robot's rate limit (DingTalk: 20 messages a minute) kept by merging, never
               by dropping

Not wired yet: the webhook receiver does not call these, and nothing here sends or retries.
"""
