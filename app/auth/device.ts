// A coarse, human description of the device a session signed in from, for the 登录设备 list:
// "Chrome · Android", "微信 · iPhone". Parsed simply from the User-Agent (no library): only the
// app or browser and the system, never versions, so it says enough for a person to recognise
// their own phone and nothing more.

const apps: Array<[RegExp, string]> = [
  [/MicroMessenger/i, '微信'],
  [/AlipayClient/i, '支付宝'],
  [/DingTalk/i, '钉钉'],
  [/\bQQ\//, 'QQ'],
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/HuaweiBrowser/i, '华为浏览器'],
  [/MiuiBrowser|XiaoMi/i, '小米浏览器'],
  [/UCBrowser|UCWEB/i, 'UC 浏览器'],
  [/QQBrowser/i, 'QQ 浏览器'],
  [/Quark/i, '夸克'],
  [/Baidu(Boxapp|Browser)/i, '百度'],
  [/Firefox\/|FxiOS/, 'Firefox'],
  [/Chrome\/|CriOS/, 'Chrome'],
  [/Safari\//, 'Safari'],
]

const systems: Array<[RegExp, string]> = [
  [/iPhone/, 'iPhone'],
  [/iPad/, 'iPad'],
  [/HarmonyOS|OpenHarmony/i, '鸿蒙'],
  [/Android/, 'Android'],
  [/Windows/, 'Windows'],
  [/Macintosh|Mac OS X/, 'Mac'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
]

export function describeDevice(userAgent: string | null | undefined): string {
  const ua = (userAgent ?? '').slice(0, 512)
  const app = apps.find(([pattern]) => pattern.test(ua))?.[1]
  const system = systems.find(([pattern]) => pattern.test(ua))?.[1]
  if (!app && !system) return '未知设备'
  return [app ?? '浏览器', system ?? '未知系统'].join(' · ')
}
