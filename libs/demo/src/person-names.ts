/** Common surnames, with the Hui surnames frequent in the district (马, 白, 穆, 海, 沙, 丁, 哈, 纳). */
const SURNAMES = [...'王李张刘陈杨赵黄周吴徐孙马胡朱郭何罗高林郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆范汪廖石金贾韦夏付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱穆海沙哈纳'];

const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志宏斌博文浩宇鑫晨阳凯鹏飞俊峰亮辉海波雪梅琳婷倩颖慧佳欣怡晓莉燕帆嘉瑞泽睿思雨子轩航振东卫民庆永春松立新'];

/**
 * Deterministic Chinese personal names: the same sequence on every run, no name twice. Two thirds
 * have a two-character given name, one third a single character.
 */
export function createNameGenerator(): () => string {
  const used = new Set<string>();
  let k = 0;
  return () => {
    for (;;) {
      const n = k++;
      const round = Math.floor(n / SURNAMES.length);
      const surname = SURNAMES[(n * 7) % SURNAMES.length];
      const first = GIVEN[(n * 13 + round * 5) % GIVEN.length];
      const second = n % 3 === 2 ? '' : GIVEN[(n * 29 + round * 11 + 3) % GIVEN.length];
      const name = surname + first + (second === first ? '' : second);
      if (!used.has(name)) {
        used.add(name);
        return name;
      }
    }
  };
}
